import { homedir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@progrun/uapi';

/**
 * The object cache: `$PROGRUN_CACHE/objects` (the root progrun's other caches share), else
 * `$XDG_CACHE_HOME/progrun/objects`, else `~/.cache/progrun/objects`.
 * @throws ValidationError when `env` is not an object.
 */
export function objectCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (typeof env !== 'object' || env === null)
    throw new ValidationError('env', 'an environment object', { received: env });
  if (env.PROGRUN_CACHE) return join(env.PROGRUN_CACHE, 'objects');
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'progrun', 'objects');
}

/**
 * Where objects go when the cache directory cannot be written (a read-only root in a test guest, a
 * home directory owned by someone else): a directory of this user's own under `$TMPDIR` (else `/tmp`).
 */
export function temporaryObjectCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const uid = process.getuid?.() ?? 0;
  return join(env.TMPDIR || '/tmp', `progrun-${uid}`, 'objects');
}
