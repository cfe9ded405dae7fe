import { bpfLinkCreate } from './commands/link-create.js';
import { bpfObjGet, bpfObjPin } from './commands/obj-pin.js';
import { bpfRawTracepointOpen } from './commands/raw-tracepoint-open.js';
import { type AttachTypeInput, attachTypeValue } from './enum-value.js';
import { FdOwner } from './fd.js';
import type { Program } from './program.js';
import * as v from './validate.js';

/** Options of {@link BpfLink.create}. */
export interface LinkCreateOptions {
  /** `enum bpf_attach_type`, as a number or name (`'CGROUP_INET_INGRESS'`, `'BPF_XDP'`). */
  readonly attachType: AttachTypeInput;
  /** Target fd (cgroup, map, program) or ifindex (XDP), by attach type. Default 0 (tracing links). */
  readonly target?: number;
  readonly flags?: number;
  /** BTF id of the target for tracing/LSM links not fixed at load (Linux 5.11+). */
  readonly targetBtfId?: number;
}

/**
 * An attachment of a program that lasts while its fd (or a pin of it) lives: a BPF link, or a raw
 * tracepoint attachment. `close()` detaches it, unless it is pinned.
 */
export class BpfLink extends FdOwner {
  /** How it was made: 'link' (BPF_LINK_CREATE), 'raw_tracepoint' or 'pinned'. */
  readonly origin: 'link' | 'raw_tracepoint' | 'pinned';

  private constructor(fd: number, origin: BpfLink['origin'], description: string) {
    super(fd, description);
    this.origin = origin;
  }

  /**
   * Attaches `program` through BPF_LINK_CREATE.
   *
   * Minimum kernel: 5.7 (cgroup), 5.9 (XDP), 5.10 (tracing); each attach type has its own.
   * @throws {ValidationError} for malformed options.
   * @throws {BpfError} EINVAL for an attach type the program was not loaded for, EBUSY, EPERM, ...
   */
  static create(program: Program, options: LinkCreateOptions): BpfLink {
    const o = v.options<LinkCreateOptions>('options', options, [
      'attachType',
      'target',
      'flags',
      'targetBtfId',
    ]);
    const progFd = v.fdOf('program', program, 'a Program');
    const fd = bpfLinkCreate({
      progFd,
      attachType: attachTypeValue('options.attachType', o.attachType),
      target: v.optionalU32('options.target', o.target),
      flags: v.optionalU32('options.flags', o.flags),
      targetBtfId: v.optionalU32('options.targetBtfId', o.targetBtfId),
    });
    return new BpfLink(fd, 'link', `link of program '${String(program.name)}'`);
  }

  /**
   * Attaches a RAW_TRACEPOINT program to tracepoint `name`, or a BTF-typed program (tp_btf, fentry,
   * fexit, LSM; `name` null) to the target it was loaded for (BPF_RAW_TRACEPOINT_OPEN).
   *
   * Minimum kernel: 4.17 (5.5 for BTF-typed programs).
   * @throws {BpfError} ENOENT for an unknown tracepoint, EINVAL for a program of another type, ...
   */
  static rawTracepoint(program: Program, name: string | null): BpfLink {
    const fd = bpfRawTracepointOpen(name, v.fdOf('program', program, 'a Program'));
    return new BpfLink(fd, 'raw_tracepoint', `raw tracepoint ${name ?? '(BTF target)'} attachment`);
  }

  /**
   * Opens a link pinned at `path` (BPF_OBJ_GET).
   *
   * Minimum kernel: 5.7.
   * @throws {BpfError} ENOENT when nothing is pinned there.
   */
  static fromPin(path: string): BpfLink {
    return new BpfLink(bpfObjGet(path), 'pinned', `link pinned at ${path}`);
  }

  /**
   * Pins the link at `path` (BPF_OBJ_PIN), so the attachment outlives this process.
   *
   * Minimum kernel: 5.7.
   * @throws {BpfError} EEXIST when the path exists, ...
   */
  pin(path: string): void {
    bpfObjPin(this.requireFd('BPF_OBJ_PIN'), path);
  }
}
