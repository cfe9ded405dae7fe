import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// Users cherry-pick single packages: each packed tarball must install into an empty project
// outside the monorepo (with only its own @progrun dependencies) and import.

const repoRoot = resolve(import.meta.dirname, '..');
const packagesDir = join(repoRoot, 'packages');
const packageNames = readdirSync(packagesDir);

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  bin?: Record<string, string>;
}

const manifests = new Map<string, Manifest>(
  packageNames.map((dir) => {
    const manifest = JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as Manifest;
    return [manifest.name, manifest];
  }),
);

function internalClosure(name: string, seen = new Set<string>()): Set<string> {
  seen.add(name);
  for (const dep of Object.keys(manifests.get(name)?.dependencies ?? {})) {
    if (manifests.has(dep) && !seen.has(dep)) internalClosure(dep, seen);
  }
  return seen;
}

let workDir: string;
const tarballs = new Map<string, string>();

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'progrun-pack-'));
  const packDir = join(workDir, 'tarballs');
  mkdirSync(packDir);
  for (const dir of packageNames) {
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], {
      cwd: join(packagesDir, dir),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const [info] = JSON.parse(out) as [{ name: string; filename: string; files: { path: string }[] }];
    tarballs.set(info.name, join(packDir, info.filename));
  }
}, 120_000);

// Seven install trees: removing them takes longer than a hook's default 10 s on a loaded machine.
afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}, 120_000);

describe('packed packages', { tags: ['slow'] }, () => {
  test.each([...manifests.keys()])('%s installs alone and imports', { timeout: 600_000 }, (name) => {
    const project = join(workDir, name.replace('/', '__'));
    mkdirSync(project);
    const needed = [...internalClosure(name)];
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'progrun-consumer',
        private: true,
        type: 'module',
        allowScripts: Object.fromEntries(needed.map((dep) => [dep, true])),
      }),
    );
    execFileSync('npm', ['install', '--no-audit', '--no-fund', ...needed.map((dep) => tarballs.get(dep)!)], {
      cwd: project,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const installed = readdirSync(join(project, 'node_modules', '@progrun')).sort();
    expect(installed).toEqual(needed.map((dep) => dep.split('/')[1]).sort());
    const keys = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import('${name}'); console.log(Object.keys(m).length)`],
      { cwd: project, encoding: 'utf8' },
    );
    expect(Number(keys)).toBeGreaterThan(0);
  });
});
