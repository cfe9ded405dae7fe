// Users cherry-pick packages: the packed tarballs of @progrun/syscall and @progrun/uapi, installed into
// an empty project outside the monorepo, must build the addon at install time and run a program. The
// addon build itself must need no network: it is repeated with the network unshared.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

const packages = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'progrun-syscall-pack-'));

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

const script = `
import { asm, Program } from '@progrun/syscall';
const prog = Program.load({ type: 'XDP', instructions: asm.assemble([asm.mov64('r0', 2), asm.exit()]), license: 'GPL' });
try {
  const { retval, dataOut } = prog.run({ data: Buffer.alloc(64, 7) });
  console.log(JSON.stringify({ retval, length: dataOut.length }));
} finally {
  prog.close();
}
`;

describe('packed @progrun/syscall', { tags: ['slow', 'privileged'] }, () => {
  test('installs into an empty project, builds its addon there, and runs a program', {
    timeout: 600_000,
  }, () => {
    const tarballs = [pack('uapi'), pack('syscall')];
    const project = join(work, 'consumer');
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
    const addon = join(project, 'node_modules/@progrun/syscall/build/Release/progrun_syscall.node');
    expect(existsSync(addon)).toBe(true);

    // Rebuild from scratch without a network: cmake-js must find the Node-API headers locally.
    rmSync(join(project, 'node_modules/@progrun/syscall/build'), { recursive: true });
    execFileSync('unshare', ['-n', 'npm', 'rebuild', '@progrun/syscall'], { cwd: project, stdio: 'pipe' });
    expect(existsSync(addon)).toBe(true);

    writeFileSync(join(project, 'run.mjs'), script);
    const out = execFileSync(process.execPath, ['run.mjs'], { cwd: project, encoding: 'utf8' }).trim();
    expect(JSON.parse(out)).toEqual({ retval: 2, length: 64 });
  });
});
