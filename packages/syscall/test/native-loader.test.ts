// The loader (src/native.ts): the package's own build by default, the file named by PROGRUN_NATIVE_PATH
// when set, and an actionable message when neither loads. Each case runs in a fresh process, since a
// process loads the addon once.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

const tsx = createRequire(import.meta.url).resolve('tsx');
const root = join(import.meta.dirname, '..');
const built = join(root, 'build', 'Release', 'progrun_syscall.node');
const work = mkdtempSync(join(tmpdir(), 'progrun-loader-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Imports `loader` in a new process and reports which addon file it mapped, or the error it threw. */
function load(
  loader: string,
  env: Record<string, string | undefined>,
): { mapped?: string[]; error?: string } {
  const script = `
    import { readFileSync } from 'node:fs';
    try {
      const { native } = await import(${JSON.stringify(loader)});
      const mapped = [...new Set(readFileSync('/proc/self/maps', 'utf8').split('\\n')
        .map((line) => line.split(/\\s+/)[5]).filter((path) => path?.endsWith('.node')))];
      console.log(JSON.stringify({ mapped, functions: typeof native.closeFd }));
    } catch (error) {
      console.log(JSON.stringify({ error: error.message }));
    }`;
  const output = execFileSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, PROGRUN_NATIVE_PATH: undefined, ...env },
  });
  return JSON.parse(output.trim().split('\n').at(-1)!);
}

describe('native addon loader', () => {
  const loader = join(root, 'src', 'native.ts');

  test("loads the package's own build by default", () => {
    expect(load(loader, {}).mapped).toEqual([built]);
  });

  test('PROGRUN_NATIVE_PATH loads the addon from another file (a prebuilt or relocated binary)', () => {
    const elsewhere = join(work, 'prebuilt.node');
    copyFileSync(built, elsewhere);
    expect(load(loader, { PROGRUN_NATIVE_PATH: elsewhere }).mapped).toEqual([elsewhere]);
  });

  test('a PROGRUN_NATIVE_PATH that does not load names the variable, the path and the way out', () => {
    const missing = join(work, 'missing.node');
    const { error } = load(loader, { PROGRUN_NATIVE_PATH: missing });
    expect(error).toContain(`cannot load the native addon named by PROGRUN_NATIVE_PATH (${missing})`);
    expect(error).toMatch(/unset it to use the package's own build/);
  });

  test('without a build, the message says how to get one', () => {
    // The loader and the calling conventions it checks, where no build/Release lies beside them.
    const dir = join(work, 'unbuilt', 'src');
    mkdirSync(join(dir, 'generated'), { recursive: true });
    copyFileSync(loader, join(dir, 'native.ts'));
    copyFileSync(
      join(root, 'src', 'generated', 'native-calls.ts'),
      join(dir, 'generated', 'native-calls.ts'),
    );
    const { error } = load(join(dir, 'native.ts'), {});
    expect(error).toContain('the native addon is not built (build/Release/progrun_syscall.node)');
    expect(error).toContain('"allowScripts": {"@progrun/syscall": true}');
    expect(error).toContain('npm rebuild @progrun/syscall');
    expect(error).toContain('set PROGRUN_NATIVE_PATH to a prebuilt progrun_syscall.node');
  });

  test('an addon built from another calling-convention table is refused', () => {
    // This build beside a loader whose generated conventions differ (a stale build, in effect).
    const dir = join(work, 'stale');
    mkdirSync(join(dir, 'src', 'generated'), { recursive: true });
    mkdirSync(join(dir, 'build', 'Release'), { recursive: true });
    copyFileSync(built, join(dir, 'build', 'Release', 'progrun_syscall.node'));
    copyFileSync(loader, join(dir, 'src', 'native.ts'));
    const conventions = readFileSync(join(root, 'src', 'generated', 'native-calls.ts'), 'utf8');
    writeFileSync(
      join(dir, 'src', 'generated', 'native-calls.ts'),
      conventions.replace(/NATIVE_BOUNDARY = '[0-9a-f]+'/, "NATIVE_BOUNDARY = '0000000000000000'"),
    );
    const { error } = load(join(dir, 'src', 'native.ts'), {});
    expect(error).toContain('the native addon was built from another calling convention');
    expect(error).toContain('npm rebuild @progrun/syscall');
  });
});
