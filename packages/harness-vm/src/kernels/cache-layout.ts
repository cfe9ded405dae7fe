import { homedir } from 'node:os';
import { join } from 'node:path';
import { objectArgument, stringArgument } from '../util/argument-checks.js';

const dir = (cacheDir: unknown) => stringArgument('cacheDir', cacheDir);

/**
 * The harness's cache directory: `$PROGRUN_CACHE/harness-vm`, else
 * `$XDG_CACHE_HOME/progrun/harness-vm`, else `~/.cache/progrun/harness-vm`.
 * @throws {ValidationError} when `env` is not an object.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  objectArgument('env', env, 'an environment object');
  if (env.PROGRUN_CACHE) return join(env.PROGRUN_CACHE, 'harness-vm');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'progrun', 'harness-vm');
}

/**
 * Paths inside a cache directory; one place so every module agrees on the layout.
 * @throws {ValidationError} naming the argument that is not a string.
 */
export const cachePaths = {
  aptState: (cacheDir: string, suite: string) => join(dir(cacheDir), 'apt', stringArgument('suite', suite)),
  debs: (cacheDir: string, suite: string) => join(dir(cacheDir), 'debs', stringArgument('suite', suite)),
  kernels: (cacheDir: string) => join(dir(cacheDir), 'kernels'),
  kernel: (cacheDir: string, sha256: string) =>
    join(dir(cacheDir), 'kernels', stringArgument('sha256', sha256)),
  lock: (cacheDir: string, name: string) =>
    join(dir(cacheDir), 'locks', `${stringArgument('name', name)}.lock`),
  accelerator: (cacheDir: string) => join(dir(cacheDir), 'accelerator.json'),
  bootTimes: (cacheDir: string) => join(dir(cacheDir), 'boot-times.json'),
  runs: (cacheDir: string) => join(dir(cacheDir), 'runs'),
};
