import { ValidationError } from '@progrun/uapi';
import { callProgLoad } from '../generated/native-calls.js';
import { native } from '../native.js';
import * as v from '../validate.js';
import { checkResult } from './check-result.js';

/** The fields of `union bpf_attr` this wrapper passes to BPF_PROG_LOAD. */
export interface ProgLoadAttr {
  /** `enum bpf_prog_type` value. */
  readonly progType: number;
  /** Raw `struct bpf_insn` bytes: a non-zero multiple of 8. */
  readonly insns: Uint8Array;
  /** License string; GPL-only helpers need a GPL-compatible one. */
  readonly license: string;
  /** Object name, at most 15 bytes (Linux 4.15+). */
  readonly name?: string;
  /** `enum bpf_attach_type` value (Linux 4.17+). Default 0. */
  readonly expectedAttachType?: number;
  /** BPF_F_* load flags. Default 0. */
  readonly progFlags?: number;
  /** BTF type id of the attach target, for tracing/LSM/struct_ops/freplace programs (Linux 5.5+). */
  readonly attachBtfId?: number;
  /** attach_btf_obj_fd (module BTF, Linux 5.11+) or attach_prog_fd (freplace target). Default 0: none. */
  readonly attachFd?: number;
  /** kern_version, checked only for kprobes on kernels before 5.0. Default 0. */
  readonly kernVersion?: number;
  /** Device for offloaded or device-bound programs. Default 0. */
  readonly progIfindex?: number;
  /** Verifier log level (1, 2, 4 or a combination); needs `logBuf`. Default 0. */
  readonly logLevel?: number;
  /** Receives the verifier log, NUL-terminated; at least 128 bytes before Linux 6.4. */
  readonly logBuf?: Uint8Array;
}

/**
 * BPF_PROG_LOAD: loads a program, returning its fd. The caller owns the fd.
 *
 * Minimum kernel: 3.18; the fields other than type, insns, license and log need newer ones (see each).
 * @throws {ValidationError} for a field of the wrong type or range.
 * @throws {BpfError} with the kernel's errno (EACCES/EINVAL from the verifier, EPERM without CAP_BPF, ...).
 */
export function bpfProgLoad(attr: ProgLoadAttr): number {
  v.attr('attr', attr);
  const insns = v.bytes('attr.insns', attr.insns);
  if (insns.byteLength === 0 || insns.byteLength % 8 !== 0) {
    throw new ValidationError('attr.insns', 'a non-zero multiple of 8 bytes (struct bpf_insn)', {
      received: insns,
    });
  }
  return checkResult(
    callProgLoad(native.progLoad, {
      progType: v.u32('attr.progType', attr.progType),
      insns,
      license: v.string('attr.license', attr.license, 127),
      name: attr.name === undefined ? null : v.string('attr.name', attr.name, 15),
      expectedAttachType: v.optionalU32('attr.expectedAttachType', attr.expectedAttachType),
      progFlags: v.optionalU32('attr.progFlags', attr.progFlags),
      attachBtfId: v.optionalU32('attr.attachBtfId', attr.attachBtfId),
      attachFd: attr.attachFd === undefined ? 0 : v.fd('attr.attachFd', attr.attachFd),
      kernVersion: v.optionalU32('attr.kernVersion', attr.kernVersion),
      progIfindex: v.optionalU32('attr.progIfindex', attr.progIfindex),
      logLevel: v.optionalU32('attr.logLevel', attr.logLevel),
      logBuf: v.optionalBytes('attr.logBuf', attr.logBuf) ?? null,
    }),
    'BPF_PROG_LOAD',
  );
}
