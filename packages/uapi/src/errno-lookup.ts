import { numberArgument } from './arguments/argument-checks.js';
import { type ErrnoName, errnoInfo } from './generated/errno.js';

const byNumber = new Map<number, ErrnoName>();
for (const [name, info] of Object.entries(errnoInfo) as [ErrnoName, (typeof errnoInfo)[ErrnoName]][]) {
  if (!byNumber.has(info.errno)) byNumber.set(info.errno, name);
}

/**
 * The name of an errno number (positive, as in `errno`; a kernel `-EINVAL` return is `22`):
 * `errnoName(524) === 'ENOTSUPP'`. For aliases the first name wins (11 -> EAGAIN, not EWOULDBLOCK).
 */
export function errnoName(errno: number): ErrnoName | undefined {
  return byNumber.get(errno);
}

/** The header's message for an errno number: `errnoMessage(22) === 'Invalid argument'`. */
export function errnoMessage(errno: number): string | undefined {
  const name = byNumber.get(errno);
  return name === undefined ? undefined : errnoInfo[name].message;
}

/**
 * An errno for an error message: `'ENOTSUPP (524): Operation is not supported, kernel-internal'`,
 * or `'errno 9999'` when unknown.
 * @throws {ValidationError} when `errno` is not a number.
 */
export function describeErrno(errno: number): string {
  numberArgument('errno', errno);
  const name = byNumber.get(errno);
  if (name === undefined) return `errno ${errno}`;
  const info = errnoInfo[name];
  return `${name} (${errno}): ${info.message}${info.internal ? ', kernel-internal' : ''}`;
}
