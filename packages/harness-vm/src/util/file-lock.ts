import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ProgrunErrorCode } from '@progrun/uapi';
import { execa } from 'execa';
import { HarnessError } from '../errors.js';

/** A held lock; release it with `release()` or `await using`. */
export interface FileLock {
  release(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Takes an exclusive `flock(2)` lock on `path`, waiting for other holders (other runs, other
 * processes). The lock is held by a small `flock` child reading our pipe: when this process exits
 * for any reason the pipe closes and the kernel drops the lock, so a crash never leaves it stuck.
 *
 * @throws {HarnessError} `MISSING_TOOL` without util-linux `flock`, `ABORTED` when `signal` fires
 *   while waiting.
 */
export async function acquireFileLock(path: string, signal?: AbortSignal): Promise<FileLock> {
  mkdirSync(dirname(path), { recursive: true });
  const holder = execa('flock', ['--exclusive', path, 'sh', '-c', 'echo locked; exec cat >/dev/null'], {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    reject: false,
    cancelSignal: signal,
  });
  const acquired = new Promise<boolean>((resolve) => {
    holder.stdout.once('data', () => resolve(true));
    holder.stdout.once('end', () => resolve(false));
  });
  if (!(await acquired)) {
    const result = await holder;
    if (signal?.aborted)
      throw signal.reason ?? new HarnessError(ProgrunErrorCode.ABORTED, `waiting for lock ${path}`);
    const missing = (result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
    throw new HarnessError(
      missing ? ProgrunErrorCode.MISSING_TOOL : ProgrunErrorCode.PROVISIONING_FAILED,
      missing ? 'flock (util-linux) is not installed' : `could not lock ${path}: ${result.stderr}`,
    );
  }
  let released: Promise<void> | undefined;
  const release = () => {
    released ??= (async () => {
      holder.stdin.end();
      await holder;
    })();
    return released;
  };
  return { release, [Symbol.asyncDispose]: release };
}
