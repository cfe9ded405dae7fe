import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The harness's cache directory: `$PROGRUN_CACHE/harness-vm`, else
 * `$XDG_CACHE_HOME/progrun/harness-vm`, else `~/.cache/progrun/harness-vm`.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PROGRUN_CACHE) return join(env.PROGRUN_CACHE, 'harness-vm');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'progrun', 'harness-vm');
}

/** Paths inside a cache directory; one place so every module agrees on the layout. */
export const cachePaths = {
  aptState: (cacheDir: string, suite: string) => join(cacheDir, 'apt', suite),
  debs: (cacheDir: string, suite: string) => join(cacheDir, 'debs', suite),
  kernels: (cacheDir: string) => join(cacheDir, 'kernels'),
  kernel: (cacheDir: string, sha256: string) => join(cacheDir, 'kernels', sha256),
  lock: (cacheDir: string, name: string) => join(cacheDir, 'locks', `${name}.lock`),
  accelerator: (cacheDir: string) => join(cacheDir, 'accelerator.json'),
  bootTimes: (cacheDir: string) => join(cacheDir, 'boot-times.json'),
  runs: (cacheDir: string) => join(cacheDir, 'runs'),
};
