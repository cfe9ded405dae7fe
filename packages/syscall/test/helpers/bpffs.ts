import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onBpffs } from '../../src/bpffs.js';

/** A directory to pin in, released with `using` (or `[Symbol.dispose]()`). */
export interface BpffsDir extends Disposable {
  readonly path: string;
}

/**
 * A directory on a bpf filesystem: /sys/fs/bpf when a bpffs is mounted there, otherwise a private bpffs
 * mounted on a temporary directory (a fresh machine mounts none), unmounted and removed on dispose.
 */
export function bpffsDir(): BpffsDir {
  if (onBpffs('/sys/fs/bpf') === true) return { path: '/sys/fs/bpf', [Symbol.dispose]() {} };
  const path = mkdtempSync(join(tmpdir(), 'pr-sc-bpffs-'));
  try {
    execFileSync('mount', ['-t', 'bpf', 'bpf', path], { stdio: 'pipe' });
  } catch (error) {
    rmdirSync(path);
    throw error;
  }
  return {
    path,
    [Symbol.dispose]() {
      execFileSync('umount', [path], { stdio: 'pipe' });
      rmdirSync(path);
    },
  };
}
