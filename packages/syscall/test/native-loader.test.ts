// The loader (src/native.ts): the package's own build by default, else the prebuilt binary for this
// platform, the file named by PROGRUN_NATIVE_PATH when set, and an actionable message when none loads.
// Each case runs in a fresh process, since a process loads the addon once. Copies of the loader live in
// a scratch directory whose node_modules is the repository's, as an installed package's would be.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

const tsx = createRequire(import.meta.url).resolve('tsx');
const root = join(import.meta.dirname, '..');
const built = join(root, 'build', 'Release', 'progrun_syscall.node');
const work = mkdtempSync(join(tmpdir(), 'progrun-loader-'));
symlinkSync(join(root, '..', '..', 'node_modules'), join(work, 'node_modules'));

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

// Each case starts Node.js with tsx: seconds apiece on a loaded machine.
describe('native addon loader', { timeout: 30_000 }, () => {
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
    expect(error).toMatch(/unset it to use the package's own addon/);
  });

  /** A copy of the loader and the calling conventions it checks, in `dir` (with package.json, no addon). */
  function loaderCopy(dir: string): string {
    mkdirSync(join(dir, 'src', 'generated'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"name": "@progrun/syscall", "type": "module"}');
    copyFileSync(loader, join(dir, 'src', 'native.ts'));
    copyFileSync(
      join(root, 'src', 'generated', 'native-calls.ts'),
      join(dir, 'src', 'generated', 'native-calls.ts'),
    );
    return join(dir, 'src', 'native.ts');
  }

  test('without a build, the prebuilt binary for this platform is loaded', () => {
    // What an installed package holds: prebuilds/<platform>-<arch>/, no build/.
    const dir = join(work, 'installed');
    const copy = loaderCopy(dir);
    const prebuilt = join(dir, 'prebuilds', `linux-${process.arch}`, 'progrun_syscall.napi.glibc.node');
    mkdirSync(join(prebuilt, '..'), { recursive: true });
    copyFileSync(built, prebuilt);
    // Another architecture's and musl's are never picked.
    mkdirSync(join(dir, 'prebuilds', 'linux-riscv64'));
    writeFileSync(join(dir, 'prebuilds', 'linux-riscv64', 'progrun_syscall.napi.glibc.node'), '');
    writeFileSync(join(prebuilt, '..', 'progrun_syscall.napi.musl.node'), '');
    expect(load(copy, {}).mapped).toEqual([prebuilt]);
  });

  test('without a build or a prebuild, the message says how to get one', () => {
    const { error } = load(loaderCopy(join(work, 'unbuilt')), {});
    expect(error).toContain(`no native addon for linux-${process.arch}: no prebuilt binary ships`);
    expect(error).toContain('npm rebuild @progrun/syscall');
    expect(error).toContain('libbpf >= 1.0');
    expect(error).toContain('set PROGRUN_NATIVE_PATH to a progrun_syscall.node');
  });

  test('an addon file that does not load names itself and the glibc the prebuilds need', () => {
    const dir = join(work, 'broken');
    const copy = loaderCopy(dir);
    mkdirSync(join(dir, 'build', 'Release'), { recursive: true });
    writeFileSync(join(dir, 'build', 'Release', 'progrun_syscall.node'), 'not an ELF file');
    const { error } = load(copy, {});
    expect(error).toContain(
      `the native addon ${join(dir, 'build', 'Release', 'progrun_syscall.node')} does not load`,
    );
    expect(error).toContain('glibc >= 2.31');
  });

  test('an addon built from another calling-convention table is refused', () => {
    // This build beside a loader whose generated conventions differ (a stale build, in effect).
    const dir = join(work, 'stale');
    const copy = loaderCopy(dir);
    mkdirSync(join(dir, 'build', 'Release'), { recursive: true });
    copyFileSync(built, join(dir, 'build', 'Release', 'progrun_syscall.node'));
    const conventions = readFileSync(join(root, 'src', 'generated', 'native-calls.ts'), 'utf8');
    writeFileSync(
      join(dir, 'src', 'generated', 'native-calls.ts'),
      conventions.replace(/NATIVE_BOUNDARY = '[0-9a-f]+'/, "NATIVE_BOUNDARY = '0000000000000000'"),
    );
    const { error } = load(copy, {});
    expect(error).toContain('the native addon was built from another calling convention');
    expect(error).toContain('npm rebuild @progrun/syscall');
  });
});
