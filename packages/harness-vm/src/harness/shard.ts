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

/** The kernels of one shard: every n-th, starting at the i-th, so shards differ by at most one. */
export function selectShard<T>(items: readonly T[], shard: Shard | undefined): T[] {
  if (!shard) return [...items];
  return items.filter((_, position) => position % shard.count === shard.index - 1);
}
