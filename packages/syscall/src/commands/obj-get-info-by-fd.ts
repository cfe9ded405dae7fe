import { native } from '../native.js';
import * as v from '../validate.js';
import { checkResult } from './check-result.js';

/**
 * BPF_OBJ_GET_INFO_BY_FD: fills `info` (zeroed first) with the bpf_prog_info / bpf_map_info /
 * bpf_link_info / bpf_btf_info of the object behind `fd`, up to info's length. Returns the bytes written.
 * The arrays a bpf_prog_info can point to (map ids, instructions) are not requested.
 *
 * Minimum kernel: 4.13 (links 5.8).
 * @throws {ValidationError} for arguments of the wrong type.
 * @throws {BpfError} EBADF for a closed fd, EINVAL for an fd that is not a BPF object, ...
 */
export function bpfObjGetInfoByFd(fd: number, info: Uint8Array): number {
  return checkResult(native.objGetInfoByFd(v.fd('fd', fd), v.bytes('info', info)), 'BPF_OBJ_GET_INFO_BY_FD');
}
