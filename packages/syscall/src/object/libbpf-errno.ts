import { errnoMessage, errnoName } from '../errors/errno-names.js';

/**
 * libbpf's own error codes (`enum libbpf_errno` in bpf/libbpf.h), returned negated beside ordinary
 * errnos by its ELF parsing and loading.
 */
const LIBBPF_ERRNO: Readonly<Record<number, readonly [string, string]>> = {
  4000: ['LIBBPF_ERRNO__LIBELF', 'something wrong in libelf'],
  4001: ['LIBBPF_ERRNO__FORMAT', 'BPF object format invalid'],
  4002: ['LIBBPF_ERRNO__KVERSION', 'incorrect or no kernel version section'],
  4003: ['LIBBPF_ERRNO__ENDIAN', 'endian mismatch'],
  4004: ['LIBBPF_ERRNO__INTERNAL', 'internal error in libbpf'],
  4005: ['LIBBPF_ERRNO__RELOC', 'relocation failed'],
  4006: ['LIBBPF_ERRNO__LOAD', 'load of the program failed for an unknown reason'],
  4007: ['LIBBPF_ERRNO__VERIFY', 'kernel verifier blocks the program from loading'],
  4008: ['LIBBPF_ERRNO__PROG2BIG', 'program too big'],
  4009: ['LIBBPF_ERRNO__KVER', 'incorrect kernel version'],
  4010: ['LIBBPF_ERRNO__PROGTYPE', 'kernel does not support this program type'],
  4011: ['LIBBPF_ERRNO__WRNGPID', 'wrong pid in netlink message'],
  4012: ['LIBBPF_ERRNO__INVSEQ', 'invalid netlink sequence'],
  4013: ['LIBBPF_ERRNO__NLPARSE', 'netlink message parsing error'],
};

/** The symbolic name of a positive errno or libbpf error code (`4001` -> `'LIBBPF_ERRNO__FORMAT'`). */
export function libbpfErrnoName(errno: number): string {
  return LIBBPF_ERRNO[errno]?.[0] ?? errnoName(errno);
}

/** A description of a positive errno or libbpf error code. */
export function libbpfErrnoMessage(errno: number): string {
  return LIBBPF_ERRNO[errno]?.[1] ?? errnoMessage(errno);
}
