import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type FetchedHeaderSet, fetchHeaderSet } from '../generator/fetch-headers.js';
import { headerVersions } from '../src/header-version.js';
import { layoutAssertionsC } from './support/layout-assertions-c.js';

// The C compiler of the machine (gcc on Debian), not the clang that produced the layouts:
// an independent compiler agreeing on every offset is the point of this test.
const CC = process.env.CC ?? 'cc';
const work = mkdtempSync(join(tmpdir(), 'uapi-static-assert-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Compiles the assertions against the include directories, runs the bitfield checks, returns how many passed. */
function compileAndRun(name: string, source: string, includeDirs: readonly string[]): number {
  const file = join(work, `${name}.c`);
  const exe = join(work, name);
  writeFileSync(file, source);
  const compile = spawnSync(
    CC,
    [
      ...includeDirs.flatMap((d) => ['-isystem', d]),
      '-std=gnu11',
      '-Wall',
      '-Wno-type-limits',
      '-o',
      exe,
      file,
    ],
    { encoding: 'utf8' },
  );
  expect(compile.stderr.match(/error: .*/g) ?? [], `${CC} errors for ${name}`).toEqual([]);
  expect(compile.status).toBe(0);
  return Number(execFileSync(exe, { encoding: 'utf8' }).trim());
}

describe.each(headerVersions)('layouts, enums, constants and errno of the %s header set', (version) => {
  const assertions = layoutAssertionsC(version);

  // Absent headers are fetched through the generator's own code path (private apt + dpkg-deb -x).
  test('match the real headers when compiled with the machine cc', { timeout: 180_000 }, () => {
    const set: FetchedHeaderSet = fetchHeaderSet(version);
    const passed = compileAndRun(`uapi-${version}`, assertions.source, set.includeDirs);
    expect(assertions.staticAsserts).toBeGreaterThan(1500);
    expect(assertions.runtimeChecks).toBeGreaterThanOrEqual(3);
    expect(passed).toBe(assertions.runtimeChecks);
  });
});

describe("the host's own UAPI headers", () => {
  // `dpkg-query -W` prints "name<TAB>version".
  const host = spawnSync('dpkg-query', ['-W', 'linux-libc-dev'], { encoding: 'utf8' });
  const hostVersion = host.status === 0 ? (host.stdout.trim().split('\t')[1] ?? '') : '';
  const matching = headerVersions.find((v) => hostVersion.startsWith(`${v}.`));

  test.skipIf(!matching)(
    `agree with the ${matching ?? '(none)'} assertions (needs linux-libc-dev of a generated kernel line in /usr/include)`,
    () => {
      const assertions = layoutAssertionsC(matching!);
      const passed = compileAndRun('uapi-host', assertions.source, []);
      expect(passed).toBe(assertions.runtimeChecks);
    },
  );
});

describe('the assertions themselves', () => {
  test('fail when a layout is wrong', () => {
    const { source } = layoutAssertionsC('6.12');
    const broken = source.replace(
      /offsetof\(struct xdp_md, data_end\) == 4/,
      'offsetof(struct xdp_md, data_end) == 8',
    );
    expect(broken).not.toBe(source);
    const file = join(work, 'broken.c');
    writeFileSync(file, broken);
    const set = fetchHeaderSet('6.12');
    const result = spawnSync(
      CC,
      [...set.includeDirs.flatMap((d) => ['-isystem', d]), '-fsyntax-only', file],
      {
        encoding: 'utf8',
      },
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('offset of xdp_md.data_end');
  });
});
