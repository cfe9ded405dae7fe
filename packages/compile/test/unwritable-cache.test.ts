// A cache that cannot be written (a read-only root in a test guest, a home owned by someone else) must not
// stop a compile: hits are still read from it, and new objects go to a private temporary directory.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { CacheNotWritableError, compileBpfC } from '../src/index.js';

const packageDir = resolve(import.meta.dirname, '..');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'progrun-compile-ro-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'pass.bpf.c'),
    `#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
SEC("xdp") int pass(struct xdp_md *ctx) { return XDP_PASS; }
char LICENSE[] SEC("license") = "GPL";
`,
  );
  return dir;
}

/** A tmpfs at `dir`, read-only unless `writable`; unmounted after the test. */
function mountTmpfs(dir: string, writable = false): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `${writable ? 'rw' : 'ro'},size=4m`, 'tmpfs', dir]);
  cleanups.push(() => execFileSync('umount', [dir]));
}

describe('an unwritable object cache', { tags: ['privileged'] }, () => {
  test('a read-only cache: new objects go to a private directory under TMPDIR, and hit there next time', async () => {
    const dir = workspace();
    const cacheDir = join(dir, 'ro-cache');
    mountTmpfs(cacheDir);
    const env = { ...process.env, TMPDIR: join(dir, 'tmp') };
    const first = await compileBpfC(join(dir, 'pass.bpf.c'), { cacheDir, env });
    const fallback = join(dir, 'tmp', `progrun-${process.getuid!()}`, 'objects');
    expect(first).toMatchObject({ cached: false, cacheDir: fallback });
    expect(first.objectPath.startsWith(`${fallback}/`)).toBe(true);
    expect(await compileBpfC(join(dir, 'pass.bpf.c'), { cacheDir, env })).toMatchObject({
      cached: true,
      cacheDir: fallback,
      objectPath: first.objectPath,
    });
  });

  test('a read-only home without ~/.cache (a test guest) falls back to TMPDIR', async () => {
    const dir = workspace();
    const home = join(dir, 'ro-home');
    mountTmpfs(home);
    const env = { PATH: process.env.PATH, HOME: home, TMPDIR: join(dir, 'tmp') };
    expect(await compileBpfC(join(dir, 'pass.bpf.c'), { env })).toMatchObject({
      cached: false,
      cacheDir: join(dir, 'tmp', `progrun-${process.getuid!()}`, 'objects'),
    });
  });

  test('a cache that became read-only still answers hits', async () => {
    const dir = workspace();
    const cacheDir = join(dir, 'cache');
    mountTmpfs(cacheDir, true);
    const first = await compileBpfC(join(dir, 'pass.bpf.c'), { cacheDir });
    execFileSync('mount', ['-o', 'remount,ro', cacheDir]);
    expect(await compileBpfC(join(dir, 'pass.bpf.c'), { cacheDir })).toEqual({ ...first, cached: true });
  });

  test('when TMPDIR is read-only too, the error names both directories and the variables to set', async () => {
    const dir = workspace();
    const cacheDir = join(dir, 'ro-cache');
    const tmp = join(dir, 'ro-tmp');
    mountTmpfs(cacheDir);
    mountTmpfs(tmp);
    const error = await compileBpfC(join(dir, 'pass.bpf.c'), {
      cacheDir,
      env: { ...process.env, TMPDIR: tmp },
    }).catch((e: unknown) => e);
    expect(CacheNotWritableError.isInstance(error)).toBe(true);
    const own = join(tmp, `progrun-${process.getuid!()}`);
    expect((error as CacheNotWritableError).directories).toEqual([
      { path: cacheDir, code: 'EROFS' },
      { path: join(own, 'objects'), code: 'EROFS' },
    ]);
    expect((error as Error).message).toBe(
      `cannot write the compiled object to ${cacheDir} (EROFS) nor ${join(own, 'objects')} (EROFS): set PROGRUN_CACHE (objects go to $PROGRUN_CACHE/objects) or XDG_CACHE_HOME to a writable directory`,
    );
  });

  test('a temporary directory that others can write is not used', async () => {
    const dir = workspace();
    const cacheDir = join(dir, 'ro-cache');
    mountTmpfs(cacheDir);
    const own = join(dir, 'tmp', `progrun-${process.getuid!()}`);
    mkdirSync(own, { recursive: true });
    chmodSync(own, 0o777);
    const error = await compileBpfC(join(dir, 'pass.bpf.c'), {
      cacheDir,
      env: { ...process.env, TMPDIR: join(dir, 'tmp') },
    }).catch((e: unknown) => e);
    expect((error as CacheNotWritableError).directories).toEqual([
      { path: cacheDir, code: 'EROFS' },
      { path: own, code: 'ENOTPRIVATE' },
    ]);
  });

  test('a user who may not write the cache (EACCES) compiles into their own directory', () => {
    if (!existsSync(join(packageDir, 'dist/index.js')))
      execFileSync('npx', ['tsc', '-b'], { cwd: packageDir });
    const dir = workspace();
    chmodSync(dir, 0o755);
    const cacheDir = join(dir, 'root-owned-cache');
    mkdirSync(cacheDir, { mode: 0o755 });
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    chmodSync(tmp, 0o1777);
    const entry = pathToFileURL(join(packageDir, 'dist/index.js')).href;
    const script = `const { compileBpfC } = await import(${JSON.stringify(entry)});
const result = await compileBpfC(${JSON.stringify(join(dir, 'pass.bpf.c'))}, { cacheDir: ${JSON.stringify(cacheDir)} });
console.log(JSON.stringify(result));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      uid: 65534,
      gid: 65534,
      cwd: dir,
      env: { ...process.env, TMPDIR: tmp, HOME: dir },
    });
    expect(JSON.parse(out)).toMatchObject({ cached: false, cacheDir: join(tmp, 'progrun-65534', 'objects') });
  });
});
