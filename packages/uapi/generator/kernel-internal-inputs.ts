import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { HEADER_SETS, type HeaderVersion } from './header-sets.js';
import { KERNEL_INTERNAL_RECORDS, kernelInternalHeaderPath } from './kernel-internal-records.js';

/** The kernel image package a committed header was written from. */
export interface KernelImageSource {
  readonly version: HeaderVersion;
  readonly suite: string;
  readonly packageName: string;
  readonly packageVersion: string;
  /** SHA-256 of the .deb. */
  readonly sha256: string;
}

/** One committed header, ready to compile: its source and where the compiler finds it. */
export interface KernelInternalInput extends KernelImageSource {
  readonly includeDirs: readonly string[];
  /** The header as `#include <...>` names it. */
  readonly include: string;
}

const SOURCE_LINE = /^ \* {3}(\S+) (\S+) \(Debian (\S+), kernel (\S+)\) sha256 ([0-9a-f]{64})$/m;

/** The comment that opens a committed header: what wrote it, from which package. */
export function kernelInternalHeaderComment(source: KernelImageSource): string {
  return [
    '/*',
    ' * DO NOT EDIT: written by packages/uapi/generator/refresh-kernel-internal.ts',
    ' * (`npm run refresh-kernel-internal -w @progrun/uapi`) from the BTF in the vmlinuz of',
    ` *   ${source.packageName} ${source.packageVersion} (Debian ${source.suite}, kernel ${source.version}) sha256 ${source.sha256}`,
    ` * The kernel-internal records a test run takes as its context (${KERNEL_INTERNAL_RECORDS.join(', ')},`,
    ' * those this kernel has), and the types their layout needs. `npm run generate` lays them out with',
    ' * the compiler into src/generated/kernel-internal-layouts.ts.',
    ' */',
    '',
  ].join('\n');
}

/**
 * The committed header of every kernel line, oldest first, with the package each was written from.
 * Reads only the repository: generation does not depend on the host or the network.
 * @throws when a header is missing or does not name its source.
 */
export function readKernelInternalInputs(): KernelInternalInput[] {
  return HEADER_SETS.map(({ version, suite }) => {
    const path = kernelInternalHeaderPath(version);
    if (!existsSync(path))
      throw new Error(`${path} is missing: run \`npm run refresh-kernel-internal -w @progrun/uapi\``);
    const m = SOURCE_LINE.exec(readFileSync(path, 'utf8'));
    if (!m || m[3] !== suite || m[4] !== version)
      throw new Error(`${path} does not name its Debian ${suite} kernel ${version} image package`);
    return {
      version,
      suite,
      packageName: m[1] ?? '',
      packageVersion: m[2] ?? '',
      sha256: m[5] ?? '',
      includeDirs: [dirname(path)],
      include: basename(path),
    };
  });
}
