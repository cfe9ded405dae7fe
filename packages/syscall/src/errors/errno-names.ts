import {
  Errno,
  type ErrnoName,
  errnoMessage as headerMessage,
  errnoName as headerName,
  ValidationError,
} from '@progrun/uapi';

/** ENOTSUPP: a kernel-internal code (include/linux/errno.h) that bpf() returns to userspace anyway. */
export const ENOTSUPP: number = Errno.ENOTSUPP;

/**
 * The symbolic name of a positive errno (`22` -> `'EINVAL'`, `524` -> `'ENOTSUPP'`), or `'E<number>'` when
 * unknown. Pure lookup in the generated UAPI tables: any kernel.
 * @throws {ValidationError} when `errno` is not a number.
 */
export function errnoName(errno: number): string {
  if (typeof errno !== 'number') throw new ValidationError('errno', 'a number', { received: errno });
  return headerName(errno) ?? `E${errno}`;
}

/**
 * The kernel header's description of a positive errno (`22` -> `'Invalid argument'`), or `'Unknown error'`.
 * Pure lookup in the generated UAPI tables: any kernel, never throws.
 */
export function errnoMessage(errno: number): string {
  return headerMessage(errno) ?? 'Unknown error';
}

/** The positive errno of a symbolic name (`'EINVAL'` -> 22). @internal */
export function errnoOf(name: ErrnoName): number {
  return Errno[name];
}
