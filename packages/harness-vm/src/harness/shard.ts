import { types } from 'node:util';
import { ValidationError } from '@progrun/uapi';

/** One of `count` slices of the kernel list (1-based `index`), for spreading a matrix over CI jobs. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/**
 * Parses `i/n` (1 <= i <= n).
 *
 * @throws {ValidationError} naming `shard` for anything else.
 */
export function parseShard(text: string): Shard {
  if (typeof text !== 'string') throw new ValidationError('shard', 'a string i/n', { received: text });
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new ValidationError('shard', 'i/n with 1 <= i <= n', {
      message: `"${text}" must be i/n with 1 <= i <= n, e.g. 2/3`,
    });
  }
  return { index, count };
}

/**
 * The kernels of one shard: every n-th, starting at the i-th, so shards differ by at most one.
 *
 * @throws {ValidationError} naming `items` when it is not an array (a Proxy around one is refused: its
 *   length is whatever it claims), or `shard` when it is not a {@link Shard}.
 */
export function selectShard<T>(items: readonly T[], shard: Shard | undefined): T[] {
  if (!Array.isArray(items) || types.isProxy(items))
    throw new ValidationError('items', 'an array (not a Proxy)', { received: items });
  if (shard === undefined) return [...items];
  const valid =
    typeof shard === 'object' &&
    shard !== null &&
    !types.isProxy(shard) &&
    Number.isSafeInteger(shard.count) &&
    Number.isSafeInteger(shard.index) &&
    shard.index >= 1 &&
    shard.index <= shard.count;
  if (!valid)
    throw new ValidationError('shard', '{ index, count } with 1 <= index <= count', { received: shard });
  return items.filter((_, position) => position % shard.count === shard.index - 1);
}
