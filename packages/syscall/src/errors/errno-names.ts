import { Errno, type ErrnoName, errnoMessage as headerMessage, errnoName as headerName } from '@progrun/uapi';

/** ENOTSUPP: a kernel-internal code (include/linux/errno.h) that bpf() returns to userspace anyway. */
export const ENOTSUPP: number = Errno.ENOTSUPP;

/** The symbolic name of a positive errno (`22` -> `'EINVAL'`), or `'E<number>'` when unknown. @internal */
export function errnoName(errno: number): string {
  return headerName(errno) ?? `E${errno}`;
}

/** The header's description of a positive errno (`'Invalid argument'`). @internal */
export function errnoMessage(errno: number): string {
  return headerMessage(errno) ?? 'Unknown error';
}

/** The positive errno of a symbolic name (`'EINVAL'` -> 22). @internal */
export function errnoOf(name: ErrnoName): number {
  return Errno[name];
}
