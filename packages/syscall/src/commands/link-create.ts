import { callLinkCreate } from '../generated/native-calls.js';
import { native } from '../native.js';
import * as v from '../validate.js';
import { checkResult } from './check-result.js';

/** The fields of `union bpf_attr` BPF_LINK_CREATE takes here. */
export interface LinkCreateAttr {
  readonly progFd: number;
  /** target_fd (cgroup, map, program) or target_ifindex (XDP, tcx): one union. 0 for tracing links. */
  readonly target?: number;
  /** `enum bpf_attach_type` value. */
  readonly attachType: number;
  readonly flags?: number;
  /** BTF id of the target, for tracing/LSM links to a target not fixed at load (Linux 5.11+). */
  readonly targetBtfId?: number;
}

/**
 * BPF_LINK_CREATE: attaches a program through a link, returning the link's fd; the attachment lasts
 * while the fd (or a pin of it) lives.
 *
 * Minimum kernel: 5.7 (cgroup), 5.9 (XDP), 5.10 (tracing); other attach types later.
 * @throws {ValidationError} for a field of the wrong type or range.
 * @throws {BpfError} EINVAL for an attach type the program was not loaded for, EBUSY, EPERM, ...
 */
export function bpfLinkCreate(attr: LinkCreateAttr): number {
  v.attr('attr', attr);
  return checkResult(
    callLinkCreate(native.linkCreate, {
      progFd: v.fd('attr.progFd', attr.progFd),
      target: v.optionalU32('attr.target', attr.target),
      attachType: v.u32('attr.attachType', attr.attachType),
      flags: v.optionalU32('attr.flags', attr.flags),
      targetBtfId: v.optionalU32('attr.targetBtfId', attr.targetBtfId),
    }),
    'BPF_LINK_CREATE',
  );
}
