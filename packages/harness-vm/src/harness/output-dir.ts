import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cachePaths } from '../kernels/cache-layout.js';

const keptRuns = 20;

/**
 * The directory that receives a run's logs and reports: `outDir` when given, else a new
 * time-stamped directory under the cache's `runs/`, of which the newest 20 are kept.
 */
export function prepareOutDir(outDir: string | undefined, cacheDir: string): string {
  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    return outDir;
  }
  const runs = cachePaths.runs(cacheDir);
  mkdirSync(runs, { recursive: true });
  const stamp = new Date().toISOString().replaceAll(':', '-');
  const dir = join(runs, `${stamp}-${process.pid}`);
  mkdirSync(dir);
  const old = readdirSync(runs).sort().slice(0, -keptRuns);
  for (const name of old) rmSync(join(runs, name), { recursive: true, force: true });
  return dir;
}

/** A kernel name as a directory name (`5.10` stays `5.10`, anything odd becomes `_`). */
export function kernelDirName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}
