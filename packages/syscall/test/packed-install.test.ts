// Users cherry-pick packages: the packed tarballs of @progrun/syscall and @progrun/uapi, installed into
// an empty project outside the monorepo. With the prebuilt addon for this platform in the tarball, the
// install script does nothing. Where none fits (musl, other architectures: stood for here by deleting
// prebuilds/), it builds the addon from source, with no network; and when a tool or library the build
// needs is missing, it says so in one short message naming the packages, before cmake-js starts.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const packages = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'progrun-syscall-pack-'));
const project = join(work, 'consumer');
const installed = join(project, 'node_modules', '@progrun', 'syscall');

afterAll(() => rmSync(work, { recursive: true, force: true }));

function pack(name: string): string {
  const dir = join(packages, name);
  if (!existsSync(join(dir, 'dist', 'index.js'))) execFileSync('npx', ['tsc', '-b'], { cwd: dir });
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: dir,
    encoding: 'utf8',
  });
  const [info] = JSON.parse(out) as [{ filename: string; files: { path: string }[] }];
  return join(work, info.filename);
}

/** Runs a program through the installed package; returns its result and the addon file it loaded. */
function runProgram(): { retval: number; length: number; addons: string[] } {
  writeFileSync(
    join(project, 'run.mjs'),
    `import { readFileSync } from 'node:fs';
     import { asm, Program } from '@progrun/syscall';
     const prog = Program.load({ type: 'XDP', instructions: asm.assemble([asm.mov64('r0', 2), asm.exit()]), license: 'GPL' });
     const { retval, dataOut } = prog.run({ data: Buffer.alloc(64, 7) });
     prog.close();
     const addons = [...new Set(readFileSync('/proc/self/maps', 'utf8').split('\\n')
       .map((line) => line.split(/\\s+/)[5]).filter((path) => path?.endsWith('.node')))];
     console.log(JSON.stringify({ retval, length: dataOut.length, addons }));`,
  );
  return JSON.parse(execFileSync(process.execPath, ['run.mjs'], { cwd: project, encoding: 'utf8' }));
}

beforeAll(() => {
  const tarballs = [pack('uapi'), pack('syscall')];
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      type: 'module',
      allowScripts: { '@progrun/syscall': true },
    }),
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', ...tarballs], { cwd: project, stdio: 'pipe' });
}, 600_000);

describe('packed @progrun/syscall', { tags: ['slow', 'privileged'] }, () => {
  test('with a prebuild for this platform, the install script builds nothing', () => {
    expect(readdirSync(installed)).not.toContain('build');
    expect(runProgram()).toEqual({
      retval: 2,
      length: 64,
      addons: [join(installed, 'prebuilds', `linux-${process.arch}`, 'progrun_syscall.napi.glibc.node')],
    });
  });

  test('without a prebuild, a missing tool is one message naming the packages for three distributions', () => {
    // PATH holds node and nothing else: no cmake, make, compiler or pkg-config.
    const bin = join(work, 'node-only');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    rmSync(join(installed, 'prebuilds'), { recursive: true, force: true });
    const result = spawnSync(process.execPath, ['scripts/install-addon.mjs'], {
      cwd: installed,
      encoding: 'utf8',
      env: { ...process.env, PATH: bin },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain(`no prebuilt addon ships for linux-${process.arch}`);
    expect(lines[0]).toContain('needs cmake, make, a C++ compiler, pkg-config');
    expect(lines[0]).toContain('npm rebuild @progrun/syscall');
    expect(lines[1]).toMatch(/^ {2}Debian\/Ubuntu: apt-get install .*libbpf-dev libelf-dev zlib1g-dev$/);
    expect(lines[2]).toMatch(/^ {2}Fedora: +dnf install .*libbpf-devel/);
    expect(lines[3]).toMatch(/^ {2}Alpine: +apk add .*libbpf-dev/);
    expect(existsSync(join(installed, 'build'))).toBe(false);
  });

  test('without a prebuild, the install script builds the addon from source, with no network', {
    timeout: 600_000,
  }, () => {
    rmSync(join(installed, 'prebuilds'), { recursive: true, force: true });
    // cmake-js must find the Node-API headers locally.
    execFileSync('unshare', ['-n', 'npm', 'rebuild', '@progrun/syscall'], { cwd: project, stdio: 'pipe' });
    const built = join(installed, 'build', 'Release', 'progrun_syscall.node');
    expect(runProgram()).toEqual({ retval: 2, length: 64, addons: [built] });
  });
});
