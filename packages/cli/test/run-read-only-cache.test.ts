// `progrun run x.bpf.c` where the object cache is read-only, as ~/.cache is inside a test guest that sees
// the host's root read-only: it compiles into a private temporary directory instead of failing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { exampleSource, progrun } from './helpers/run-progrun.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function readOnlyDir(parent: string, name: string): string {
  const dir = join(parent, name);
  mkdirSync(dir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir]);
  cleanups.push(() => execFileSync('umount', [dir]));
  return dir;
}

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'progrun-cli-ro-cache-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('progrun run with a read-only compile cache', { tags: ['privileged'] }, () => {
  test('compiles into $TMPDIR/progrun-UID and runs', async () => {
    const dir = workspace();
    const env = { XDG_CACHE_HOME: readOnlyDir(dir, 'cache'), TMPDIR: join(dir, 'tmp') };
    const result = await progrun(['run', exampleSource('xdp-reflector'), '--json'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const objects = join(dir, 'tmp', `progrun-${process.getuid!()}`, 'objects');
    const first = JSON.parse(result.stdout) as { program: { object: string; compiled: string } };
    expect(first.program.compiled).toBe('now');
    expect(first.program.object.startsWith(`${objects}/`)).toBe(true);
    const again = await progrun(['run', exampleSource('xdp-reflector'), '--json'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({
      program: { compiled: 'cached', object: first.program.object },
    });
  });

  test('with no writable directory at all: exit 5 naming the directories and the variables', async () => {
    const dir = workspace();
    const cache = readOnlyDir(dir, 'cache');
    const tmp = readOnlyDir(dir, 'tmp');
    const result = await progrun(['run', exampleSource('xdp-reflector')], {
      XDG_CACHE_HOME: cache,
      TMPDIR: tmp,
    });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`${join(cache, 'progrun', 'objects')}: EROFS`);
    expect(result.stderr).toContain(`${join(tmp, `progrun-${process.getuid!()}`, 'objects')}: EROFS`);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(
      'progrun: no writable directory for the compiled object. Set PROGRUN_CACHE (objects go to $PROGRUN_CACHE/objects) or XDG_CACHE_HOME to a writable directory, or pass a compiled .o file instead.',
    );
  });
});
