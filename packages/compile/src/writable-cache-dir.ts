import { lstat, mkdir, mkdtemp } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CacheNotWritableError, type UnwritableDir } from './compile-errors.js';
import { temporaryObjectCacheDir } from './object-cache-dir.js';

/** Errors that mean "this directory cannot take new files", as opposed to a wrong path. */
const unwritable = new Set(['EROFS', 'EACCES', 'EPERM']);

/**
 * A cache directory a compile can write to, with a fresh work directory inside it (on the same file
 * system, so finished files are renamed into place): `preferred` when it can be written, else this
 * user's private directory under `$TMPDIR` (see {@link temporaryObjectCacheDir}).
 * @throws CacheNotWritableError when neither can be written.
 */
export async function writableCacheDir(
  preferred: string,
  env: NodeJS.ProcessEnv,
): Promise<{ cacheDir: string; workDir: string }> {
  const first = await workDirIn(preferred, false);
  if (typeof first === 'string') return { cacheDir: preferred, workDir: first };
  const fallback = temporaryObjectCacheDir(env);
  const second = await workDirIn(fallback, true);
  if (typeof second === 'string') return { cacheDir: fallback, workDir: second };
  throw new CacheNotWritableError([first, second]);
}

async function workDirIn(dir: string, ownedByUser: boolean): Promise<string | UnwritableDir> {
  try {
    if (ownedByUser) {
      // Under a shared /tmp another user could create the directory first and plant objects in it.
      const own = dirname(dir);
      await makeDir(own, 0o700);
      const stat = await lstat(own);
      if (!stat.isDirectory() || stat.uid !== process.getuid?.() || (stat.mode & 0o077) !== 0) {
        return { path: own, code: 'ENOTPRIVATE' };
      }
    }
    await makeDir(dir);
    return await mkdtemp(join(dir, '.partial-'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code && unwritable.has(code)) return { path: dir, code };
    throw error;
  }
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir reports ENOENT where the file system said EROFS
 * or EACCES, and that is the answer needed here.
 */
async function makeDir(dir: string, mode?: number): Promise<void> {
  try {
    await mkdir(dir, { mode });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || dirname(dir) === dir) throw error;
    await makeDir(dirname(dir), mode);
    await makeDir(dir, mode);
  }
}
