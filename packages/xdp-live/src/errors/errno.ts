import { constants } from 'node:os';
import { getSystemErrorMap } from 'node:util';

const names = new Map<number, string>();
for (const [name, value] of Object.entries(constants.errno)) if (!names.has(value)) names.set(value, name);
// Linux spells 95 EOPNOTSUPP (ENOTSUP is its alias); ENOTSUPP (524) is the kernel's own, returned by bpf().
names.set(constants.errno.EOPNOTSUPP, 'EOPNOTSUPP');
names.set(524, 'ENOTSUPP');

/** Symbolic name of a positive errno (`22` -> `'EINVAL'`), `'E<n>'` when unknown. @internal */
export function errnoName(errno: number): string {
  return names.get(errno) ?? `E${errno}`;
}

/** strerror-like text of a positive errno. @internal */
export function errnoMessage(errno: number): string {
  return getSystemErrorMap().get(-errno)?.[1] ?? 'unknown error';
}
