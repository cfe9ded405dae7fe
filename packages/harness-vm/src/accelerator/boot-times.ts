import { cachePaths } from '../kernels/cache-layout.js';
import { readJsonFile, writeJsonFile } from '../util/json-file.js';
import type { Accelerator } from '../vm/vng-arguments.js';

const keep = 5;

type Samples = Record<string, number[]>;

const key = (release: string, accelerator: Accelerator) => `${release}|${accelerator}`;

/**
 * The slowest of the last few measured boot times (start to userspace, ms) of a kernel under an
 * accelerator, or undefined before the first boot. Timeouts are scaled from it.
 */
export function expectedBootMs(
  cacheDir: string,
  release: string,
  accelerator: Accelerator,
): number | undefined {
  const samples = readJsonFile<Samples>(cachePaths.bootTimes(cacheDir))?.[key(release, accelerator)];
  return samples?.length ? Math.max(...samples) : undefined;
}

/** Records a measured boot time. Concurrent writers may drop a sample, never corrupt the file. */
export function recordBootMs(
  cacheDir: string,
  release: string,
  accelerator: Accelerator,
  bootMs: number,
): void {
  const path = cachePaths.bootTimes(cacheDir);
  const all = readJsonFile<Samples>(path) ?? {};
  all[key(release, accelerator)] = [...(all[key(release, accelerator)] ?? []), Math.round(bootMs)].slice(
    -keep,
  );
  writeJsonFile(path, all);
}
