import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';

/** What provisioning records about a kernel image, to tell later that it is still the same file. */
export interface ImageDigest {
  /** Bytes. */
  readonly size: number;
  /** SHA-256 of the whole file, hex. */
  readonly sha256: string;
}

/** Size and SHA-256 of an image (a few MB: hashing takes tens of milliseconds). */
export function digestImage(path: string): ImageDigest {
  const content = readFileSync(path);
  return { size: content.length, sha256: createHash('sha256').update(content).digest('hex') };
}

/** x86 boot protocol: a bzImage carries `HdrS` at 0x202 (what qemu checks before "invalid kernel header"). */
const bootHeaderOffset = 0x202;
const bootHeaderMagic = 'HdrS';

function hasBootHeader(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const magic = Buffer.alloc(bootHeaderMagic.length);
    readSync(fd, magic, 0, magic.length, bootHeaderOffset);
    return magic.toString('latin1') === bootHeaderMagic;
  } finally {
    closeSync(fd);
  }
}

/**
 * Why a cached kernel image cannot be trusted, or undefined when it is intact: missing, a size or a
 * SHA-256 other than `recorded` (a truncated copy, a zero-filled block), or, for a cache written
 * before digests were recorded, no x86 boot header.
 */
export function imageDamage(path: string, recorded: ImageDigest | undefined): string | undefined {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return `${path} is missing`;
  }
  if (!recorded) {
    return hasBootHeader(path) ? undefined : `${path} has no x86 boot header (${size} bytes)`;
  }
  if (size !== recorded.size) return `${path} has ${size} bytes, ${recorded.size} when provisioned`;
  const { sha256 } = digestImage(path);
  if (sha256 !== recorded.sha256) {
    return `${path} has SHA-256 ${sha256}, ${recorded.sha256} when provisioned`;
  }
  return undefined;
}
