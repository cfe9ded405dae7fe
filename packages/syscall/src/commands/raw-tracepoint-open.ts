import { native } from '../native.js';
import * as v from '../validate.js';
import { checkResult } from './check-result.js';

/**
 * BPF_RAW_TRACEPOINT_OPEN: attaches a RAW_TRACEPOINT program to the tracepoint `name` (`'sched_switch'`),
 * or, with a null name, a BTF-typed program (tp_btf, fentry/fexit, LSM) to the target it was loaded
 * for. Returns the attachment's fd; detached when it closes.
 *
 * Minimum kernel: 4.17 (5.5 for BTF-typed programs).
 * @throws {ValidationError} for arguments of the wrong type.
 * @throws {BpfError} ENOENT for an unknown tracepoint, EINVAL for a program of another type, ...
 */
export function bpfRawTracepointOpen(name: string | null, progFd: number): number {
  return checkResult(
    native.rawTracepointOpen(name === null ? null : v.string('name', name, 255), v.fd('progFd', progFd)),
    'BPF_RAW_TRACEPOINT_OPEN',
  );
}
