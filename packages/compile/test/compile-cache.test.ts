import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@progrun/uapi';
import { afterEach, describe, expect, test } from 'vitest';
import { thrown } from '../../../tests/helpers/thrown.js';
import { bpfCflags, CompileError, compileBpfC, findClang, objectCacheDir } from '../src/index.js';

const workspaces: string[] = [];
afterEach(() => {
  for (const dir of workspaces.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A directory with a source and its header, a cache, and a clang wrapper that counts its runs: a hit
 * must leave the count unchanged.
 */
async function workspace(header = 'verdict.h') {
  const dir = mkdtempSync(join(tmpdir(), 'progrun-compile-'));
  workspaces.push(dir);
  const cacheDir = join(dir, 'cache');
  const log = join(dir, 'clang-runs');
  const wrapper = join(dir, 'clang');
  const real = (await findClang()).command;
  writeFileSync(wrapper, `#!/bin/sh\necho run >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  const source = join(dir, 'prog.bpf.c');
  writeFileSync(source, program(header));
  writeFileSync(join(dir, header), '#define VERDICT XDP_PASS\n');
  const env = { ...process.env, PROGRUN_CLANG: wrapper };
  const compile = (cflags: string[] = []) => compileBpfC(source, { cacheDir, env, cflags });
  const clangRuns = () => {
    try {
      return readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
    } catch {
      return 0;
    }
  };
  return { dir, cacheDir, source, header: join(dir, header), compile, clangRuns };
}

function program(header: string): string {
  return `#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "${header}"
SEC("xdp") int prog(struct xdp_md *ctx) { return VERDICT; }
char LICENSE[] SEC("license") = "Dual MIT/GPL";
`;
}

describe('compileBpfC: the object cache', () => {
  test('a hit answers without running clang, with the same object and key', async () => {
    const w = await workspace();
    const first = await w.compile();
    expect(first).toMatchObject({ cached: false, cacheDir: w.cacheDir });
    expect(first.objectPath).toMatch(/\/cache\/prog-[0-9a-f]{16}\.o$/);
    expect(w.clangRuns()).toBe(1);

    const second = await w.compile();
    expect(second).toEqual({ ...first, cached: true, warnings: '' });
    expect(w.clangRuns()).toBe(1);
  });

  test('editing the source is a miss', async () => {
    const w = await workspace();
    const first = await w.compile();
    writeFileSync(w.source, program('verdict.h').replace('return VERDICT;', 'return VERDICT + 1;'));
    const edited = await w.compile();
    expect(edited.cached).toBe(false);
    expect(edited.key).not.toBe(first.key);
    expect(edited.objectPath).not.toBe(first.objectPath);
    expect(w.clangRuns()).toBe(2);
  });

  test('editing an included header is a miss; editing it back compiles to the first key again', async () => {
    const w = await workspace();
    const first = await w.compile();
    writeFileSync(w.header, '#define VERDICT XDP_DROP\n');
    const edited = await w.compile();
    expect(edited.cached).toBe(false);
    expect(edited.key).not.toBe(first.key);
    expect(readFileSync(edited.objectPath)).not.toEqual(readFileSync(first.objectPath));
    expect((await w.compile()).cached).toBe(true);

    writeFileSync(w.header, '#define VERDICT XDP_PASS\n');
    const restored = await w.compile();
    expect(restored).toMatchObject({ cached: false, key: first.key, objectPath: first.objectPath });
    expect(w.clangRuns()).toBe(3);
  });

  test('a header found through a relative -I and named with spaces, # and $ is tracked', async () => {
    const w = await workspace();
    const odd = 'we$ird #1 (header).h';
    mkdirSync(join(w.dir, 'inc dir'));
    writeFileSync(join(w.dir, 'inc dir', odd), '#define VERDICT XDP_TX\n');
    writeFileSync(w.source, program(odd));
    const previous = process.cwd();
    process.chdir(w.dir);
    try {
      expect((await w.compile(['-I', 'inc dir'])).cached).toBe(false);
      expect((await w.compile(['-I', 'inc dir'])).cached).toBe(true);
      writeFileSync(join(w.dir, 'inc dir', odd), '#define VERDICT XDP_DROP\n');
      expect((await w.compile(['-I', 'inc dir'])).cached).toBe(false);
    } finally {
      process.chdir(previous);
    }
  });

  test('a header edited while clang runs is not recorded: the next compile runs clang again', async () => {
    const w = await workspace();
    const real = (await findClang()).command;
    const editing = join(w.dir, 'clang-then-edit');
    writeFileSync(
      editing,
      `#!/bin/sh\n'${real}' "$@" || exit $?\necho '#define VERDICT XDP_DROP' > '${w.header}'\n`,
    );
    chmodSync(editing, 0o755);
    const raced = await compileBpfC(w.source, {
      cacheDir: w.cacheDir,
      env: { ...process.env, PROGRUN_CLANG: editing },
    });
    expect(raced.cached).toBe(false);
    expect(await w.compile()).toMatchObject({ cached: false });
    expect(await w.compile()).toMatchObject({ cached: true });
  });

  test('changed flags are a miss', async () => {
    const w = await workspace();
    writeFileSync(w.header, '#ifndef VERDICT\n#define VERDICT XDP_PASS\n#endif\n');
    const plain = await w.compile();
    const defined = await w.compile(['-DVERDICT=1']);
    expect(defined.cached).toBe(false);
    expect(defined.key).not.toBe(plain.key);
    expect((await w.compile(['-DVERDICT=1'])).cached).toBe(true);
    expect((await w.compile()).cached).toBe(true);
    expect(w.clangRuns()).toBe(2);
  });

  test.each([
    ['an entry that is not JSON', (entry: string) => writeFileSync(entry, '{"format":1,"ke')],
    ['an entry of another shape', (entry: string) => writeFileSync(entry, '{"format":1,"inputs":7}')],
    [
      'an entry naming a path outside the cache',
      (entry: string) =>
        writeFileSync(
          entry,
          JSON.stringify({ ...JSON.parse(readFileSync(entry, 'utf8')), object: '../elsewhere.o' }),
        ),
    ],
  ])('%s is compiled again and rewritten', async (_, damage) => {
    const w = await workspace();
    const first = await w.compile();
    const entry = join(w.cacheDir, readdirSync(w.cacheDir).find((name) => name.endsWith('.deps.json'))!);
    damage(entry);
    expect(await w.compile()).toMatchObject({ cached: false, key: first.key, objectPath: first.objectPath });
    expect(await w.compile()).toMatchObject({ cached: true, key: first.key });
  });

  test.each([
    ['truncated', (object: string) => writeFileSync(object, readFileSync(object).subarray(0, 100))],
    ['removed', (object: string) => rmSync(object)],
  ])('a %s object is compiled again', async (_, damage) => {
    const w = await workspace();
    const first = await w.compile();
    const intact = readFileSync(first.objectPath);
    damage(first.objectPath);
    expect(await w.compile()).toMatchObject({ cached: false, objectPath: first.objectPath });
    expect(readFileSync(first.objectPath)).toEqual(intact);
    expect((await w.compile()).cached).toBe(true);
  });

  test('a header that disappeared is a miss, and then a compile error', async () => {
    const w = await workspace();
    await w.compile();
    rmSync(w.header);
    const error = await w.compile().catch((e: unknown) => e);
    expect(CompileError.isInstance(error)).toBe(true);
    expect((error as CompileError).diagnostics).toContain("'verdict.h' file not found");
  });

  test('concurrent compiles of one source agree on one object and leave no partial files', async () => {
    const w = await workspace();
    const results = await Promise.all([1, 2, 3].map(() => w.compile()));
    expect(new Set(results.map((r) => r.objectPath)).size).toBe(1);
    expect(
      readdirSync(w.cacheDir).filter((name) => !/^prog-[0-9a-f]{16}\.(o|deps\.json)$/.test(name)),
    ).toEqual([]);
  });

  test('a compile error carries clang diagnostics and leaves nothing in the cache', async () => {
    const w = await workspace();
    writeFileSync(w.source, 'int broken( { return 0; }\n');
    const error = await w.compile().catch((e: unknown) => e);
    expect(CompileError.isInstance(error)).toBe(true);
    expect((error as CompileError).diagnostics).toContain('prog.bpf.c:1:');
    expect((error as CompileError).message).toMatch(/did not compile: .*error:/);
    expect(readdirSync(w.cacheDir)).toEqual([]);
  });

  test('a missing source is ENOENT', async () => {
    const error = await compileBpfC('/nonexistent/prog.bpf.c').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ENOENT' });
  });

  test('the default cache: $PROGRUN_CACHE/objects, else XDG_CACHE_HOME, else ~/.cache', () => {
    expect(objectCacheDir({ PROGRUN_CACHE: '/p', XDG_CACHE_HOME: '/x' })).toBe('/p/objects');
    expect(objectCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/progrun/objects');
    expect(objectCacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/progrun/objects');
  });
});

describe('arguments of the wrong kind (found by the fuzz of tests/fuzz)', () => {
  test('are ValidationErrors naming them, before clang or the file system is asked', async () => {
    const field = (error: unknown) => {
      expect(ValidationError.isInstance(error), String(error)).toBe(true);
      return (error as ValidationError).field;
    };
    expect(field(await compileBpfC(5 as never).catch((e: unknown) => e))).toBe('source');
    expect(field(await compileBpfC('x.bpf.c', null as never).catch((e: unknown) => e))).toBe('options');
    expect(field(await compileBpfC('x.bpf.c', { cflags: [1] as never }).catch((e: unknown) => e))).toBe(
      'options.cflags',
    );
    expect(field(thrown(() => objectCacheDir(null as never)))).toBe('env');
    expect(field(thrown(() => bpfCflags(Object.create(null))))).toBe('arch');
  });
});
