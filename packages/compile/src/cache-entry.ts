import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * What a compile was made of, kept beside its object as `NAME-LOOKUP.deps.json`: every file clang read
 * (from its dependency file) with the SHA-256 of its content, and the object with its own SHA-256.
 */
export interface CacheEntry {
  /** SHA-256 of the lookup key and the content of every input: the object's content address. */
  readonly key: string;
  /** File name of the object in the cache directory. */
  readonly object: string;
  /** SHA-256 of the object, checked on every hit so a damaged object is compiled again. */
  readonly objectSha256: string;
  /** Absolute path and SHA-256 of each file the compile read, besides the source itself. */
  readonly inputs: readonly (readonly [path: string, sha256: string])[];
}

/** Bumped when the entry format or the meaning of the lookup key changes. */
export const cacheFormat = 1;

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The content address of a compile: the lookup key plus the hash of each input, in order. */
export function contentKey(lookupKey: string, inputs: CacheEntry['inputs']): string {
  const hash = createHash('sha256').update(`${lookupKey}\0`);
  for (const [path, digest] of inputs) hash.update(`${path}\0${digest}\0`);
  return hash.digest('hex');
}

/**
 * The object of a cache entry, when the entry is intact and every input still has the content it had:
 * reads and hashes each input and the object. Synchronous on purpose: a hit is a few dozen small reads,
 * and a thread-pool round trip per read would cost more than the reads. Anything missing, unreadable,
 * changed or malformed is a miss.
 */
export function validEntry(
  entryPath: string,
  cacheDir: string,
): { objectPath: string; key: string } | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(readFileSync(entryPath, 'utf8'));
  } catch {
    return undefined;
  }
  if (!isEntry(entry)) return undefined;
  try {
    for (const [path, digest] of entry.inputs) if (sha256(readFileSync(path)) !== digest) return undefined;
    const objectPath = join(cacheDir, entry.object);
    if (sha256(readFileSync(objectPath)) !== entry.objectSha256) return undefined;
    return { objectPath, key: entry.key };
  } catch {
    return undefined;
  }
}

/** Writes an entry atomically (temporary name, then rename): readers see the old entry or the new one. */
export function writeEntry(entryPath: string, entry: CacheEntry, partialSuffix: string): void {
  const partial = `${entryPath}.${partialSuffix}`;
  writeFileSync(partial, `${JSON.stringify({ format: cacheFormat, ...entry })}\n`);
  renameSync(partial, entryPath);
}

function isEntry(value: unknown): value is CacheEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    entry.format === cacheFormat &&
    typeof entry.key === 'string' &&
    typeof entry.object === 'string' &&
    entry.object === basename(entry.object) &&
    typeof entry.objectSha256 === 'string' &&
    Array.isArray(entry.inputs) &&
    entry.inputs.every(
      (input) =>
        Array.isArray(input) &&
        input.length === 2 &&
        typeof input[0] === 'string' &&
        typeof input[1] === 'string',
    )
  );
}
