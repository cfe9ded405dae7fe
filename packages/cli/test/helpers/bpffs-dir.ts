import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmdirSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BPF_FS_MAGIC = 0xcafe4a11;

/** A directory of its own on a bpf filesystem, removed (with what was pinned in it) on dispose. */
export interface BpffsDir extends Disposable {
  readonly path: string;
}

/**
 * A new directory under /sys/fs/bpf when a bpffs is mounted there; else a private bpffs mounted on a
 * temporary directory (a fresh machine mounts none), unmounted on dispose.
 */
export function bpffsDir(): BpffsDir {
  let mounted = false;
  try {
    mounted = statfsSync('/sys/fs/bpf').type === BPF_FS_MAGIC;
  } catch {}
  if (mounted) {
    const path = mkdtempSync('/sys/fs/bpf/progrun-cli-test-');
    return { path, [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }) };
  }
  const path = mkdtempSync(join(tmpdir(), 'progrun-cli-bpffs-'));
  execFileSync('mount', ['-t', 'bpf', 'bpf', path], { stdio: 'pipe' });
  return {
    path,
    [Symbol.dispose]() {
      execFileSync('umount', [path], { stdio: 'pipe' });
      rmdirSync(path);
    },
  };
}
