import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CompileError, compileBpfC, objectCacheDir } from '../src/index.js';

function workspace(): { dir: string; cacheDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'progrun-compile-'));
  return { dir, cacheDir: join(dir, 'cache') };
}

const program = `#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "verdict.h"
SEC("xdp") int prog(struct xdp_md *ctx) { return VERDICT; }
char LICENSE[] SEC("license") = "Dual MIT/GPL";
`;

describe('compileBpfC: the content-addressed object cache', () => {
  test('a second compile of the same code comes from the cache; editing an included header does not', async () => {
    const { dir, cacheDir } = workspace();
    const source = join(dir, 'prog.bpf.c');
    writeFileSync(source, program);
    writeFileSync(join(dir, 'verdict.h'), '#define VERDICT XDP_PASS\n');

    const first = await compileBpfC(source, { cacheDir });
    expect(first.cached).toBe(false);
    expect(first.objectPath.startsWith(cacheDir)).toBe(true);
    expect(first.objectPath).toMatch(/prog-[0-9a-f]{16}\.o$/);

    const second = await compileBpfC(source, { cacheDir });
    expect(second).toMatchObject({ cached: true, objectPath: first.objectPath, key: first.key });

    writeFileSync(join(dir, 'verdict.h'), '#define VERDICT XDP_DROP\n');
    const third = await compileBpfC(source, { cacheDir });
    expect(third.cached).toBe(false);
    expect(third.key).not.toBe(first.key);
  });

  test('flags are part of the key', async () => {
    const { dir, cacheDir } = workspace();
    const source = join(dir, 'prog.bpf.c');
    writeFileSync(
      source,
      program.replace('#include "verdict.h"\n', '#ifndef VERDICT\n#define VERDICT 2\n#endif\n'),
    );
    const plain = await compileBpfC(source, { cacheDir });
    const defined = await compileBpfC(source, { cacheDir, cflags: ['-DVERDICT=1'] });
    expect(defined.key).not.toBe(plain.key);
  });

  test('concurrent compiles of one source agree on one object', async () => {
    const { dir, cacheDir } = workspace();
    const source = join(dir, 'prog.bpf.c');
    writeFileSync(source, program.replace('#include "verdict.h"\n', '#define VERDICT 2\n'));
    const results = await Promise.all([1, 2, 3].map(() => compileBpfC(source, { cacheDir })));
    expect(new Set(results.map((r) => r.objectPath)).size).toBe(1);
  });

  test('a compile error carries clang diagnostics', async () => {
    const { dir, cacheDir } = workspace();
    const source = join(dir, 'broken.bpf.c');
    writeFileSync(source, 'int broken( { return 0; }\n');
    const error = await compileBpfC(source, { cacheDir }).catch((e: unknown) => e);
    expect(CompileError.isInstance(error)).toBe(true);
    expect((error as CompileError).diagnostics).toContain('broken.bpf.c:1:');
    expect((error as CompileError).message).toMatch(/did not compile: .*error:/);
  });

  test('the default cache follows XDG_CACHE_HOME, else ~/.cache', () => {
    expect(objectCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/progrun/objects');
    expect(objectCacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/progrun/objects');
  });
});
