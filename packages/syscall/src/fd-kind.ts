import { readFileSync, readlinkSync } from 'node:fs';
import { ValidationError } from '@progrun/uapi';
import { BpfError } from './errors/bpf-error.js';
import { errnoOf } from './errors/errno-names.js';
import * as v from './validate.js';

/** What an fd refers to, as far as this package cares. */
export type FdKind = 'prog' | 'map' | 'link' | 'btf' | 'other' | 'closed';

/**
 * Tells programs, maps, links and BTF objects apart by the fields the kernel lists in /proc/self/fdinfo: the info
 * command alone cannot, since it fills whichever struct the object has.
 * @internal
 */
export function fdKind(fd: number): FdKind {
  let text: string;
  try {
    text = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
  } catch {
    return 'closed';
  }
  if (/^prog_type:/m.test(text)) return 'prog';
  if (/^map_type:/m.test(text)) return 'map';
  if (/^link_type:/m.test(text)) return 'link';
  // BTF fds list no type field (older kernels list nothing at all): their inode is named after them.
  try {
    if (readlinkSync(`/proc/self/fd/${fd}`) === 'anon_inode:btf') return 'btf';
  } catch {
    return 'closed';
  }
  return 'other';
}

const ARTICLE = { prog: 'a BPF program', map: 'a BPF map', link: 'a BPF link', btf: 'a BTF object' } as const;

/**
 * Checks that `fd` (an argument named `fd`) is open and refers to a BPF object of `kind`, for the
 * `fromFd` constructors.
 * @throws {ValidationError} when it is not an fd, or refers to something else.
 * @throws {BpfError} EBADF (as BPF_OBJ_GET_INFO_BY_FD would) when it is not open.
 * @internal
 */
export function requireFdKind(fd: number, kind: 'prog' | 'map' | 'link' | 'btf'): void {
  const found = fdKind(v.fd('fd', fd));
  if (found === 'closed')
    throw new BpfError({
      errno: errnoOf('EBADF'),
      command: 'BPF_OBJ_GET_INFO_BY_FD',
      hint: `fd ${fd} is not open`,
    });
  if (found !== kind)
    throw new ValidationError(
      'fd',
      `the fd of ${ARTICLE[kind]} (fd ${fd} refers to ${found === 'other' ? 'something else' : ARTICLE[found]})`,
    );
}
