import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { oldestNode, oldestNodeVersion } from './helpers/oldest-node.js';

// Users cherry-pick single packages: each packed tarball must install into an empty project
// outside the monorepo (with only its own @progrun dependencies), import, and be require()d from
// CommonJS under the oldest Node.js `engines` allows. The tarballs carry what their source maps name
// and nothing of the build's bookkeeping.

const repoRoot = resolve(import.meta.dirname, '..');
const packagesDir = join(repoRoot, 'packages');
const packageNames = readdirSync(packagesDir);

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  bin?: Record<string, string>;
  scripts?: Record<string, string>;
}

const manifests = new Map<string, Manifest>(
  packageNames.map((dir) => {
    const manifest = JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as Manifest;
    return [manifest.name, manifest];
  }),
);

function internalClosure(name: string, seen = new Set<string>()): Set<string> {
  seen.add(name);
  const manifest = manifests.get(name);
  for (const dep of Object.keys({ ...manifest?.dependencies, ...manifest?.optionalDependencies })) {
    if (manifests.has(dep) && !seen.has(dep)) internalClosure(dep, seen);
  }
  return seen;
}

/** A file in each dist/ whose source does not exist. */
const staleOutput = `deleted-source-${process.pid}.js`;
let workDir: string;
const tarballs = new Map<string, string>();
/** Each package's files as its tarball holds them, unpacked. */
const contents = new Map<string, string>();
const packedFiles = new Map<string, string[]>();

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'progrun-pack-'));
  const packDir = join(workDir, 'tarballs');
  mkdirSync(packDir);
  for (const dir of packageNames) {
    // The output of a source deleted since the last build: the prepack build must not ship it.
    mkdirSync(join(packagesDir, dir, 'dist'), { recursive: true });
    writeFileSync(join(packagesDir, dir, 'dist', staleOutput), 'export const gone = true;\n');
    // npm pack runs the package's prepack build first, as npm publish does.
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], {
      cwd: join(packagesDir, dir),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const [info] = JSON.parse(out) as [{ name: string; filename: string; files: { path: string }[] }];
    tarballs.set(info.name, join(packDir, info.filename));
    packedFiles.set(
      info.name,
      info.files.map((file) => file.path),
    );
    const unpacked = join(workDir, 'contents', dir);
    mkdirSync(unpacked, { recursive: true });
    execFileSync('tar', ['xzf', join(packDir, info.filename), '-C', unpacked, '--strip-components=1']);
    contents.set(info.name, unpacked);
  }
}, 600_000);

// Several install trees: removing them takes longer than a hook's default 10 s on a loaded machine.
afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}, 120_000);

/** An empty project outside the repository with `tarballs` installed by npm. */
function consumer(
  name: string,
  tarballPaths: string[],
  options: { scripts?: boolean; optional?: boolean } = {},
): string {
  const project = join(workDir, name);
  mkdirSync(project);
  const names = [...tarballs].filter(([, path]) => tarballPaths.includes(path)).map(([pkg]) => pkg);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'progrun-consumer',
      private: true,
      type: 'module',
      allowScripts: Object.fromEntries(names.map((dep) => [dep, true])),
    }),
  );
  execFileSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      ...(options.scripts === false ? ['--ignore-scripts'] : []),
      ...(options.optional === false ? ['--omit=optional'] : []),
      ...tarballPaths,
    ],
    { cwd: project, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return project;
}

describe('packed tarballs', { tags: ['slow'] }, () => {
  test.each([...manifests.keys()])('%s ships no .tsbuildinfo', (name) => {
    expect(packedFiles.get(name)!.filter((file) => file.endsWith('.tsbuildinfo'))).toEqual([]);
  });

  test.each([...manifests.keys()])(
    "%s: every source map's sources are in the tarball or in the map",
    (name) => {
      const root = contents.get(name)!;
      const maps = packedFiles.get(name)!.filter((file) => file.endsWith('.map'));
      expect(maps.length).toBeGreaterThan(0);
      const unresolved: string[] = [];
      for (const map of maps) {
        const { sources, sourcesContent, sourceRoot } = JSON.parse(readFileSync(join(root, map), 'utf8')) as {
          sources: string[];
          sourcesContent?: (string | null)[];
          sourceRoot?: string;
        };
        sources.forEach((source, i) => {
          if (typeof sourcesContent?.[i] === 'string') return;
          const target = resolve(dirname(join(root, map)), sourceRoot ?? '', source);
          if (
            !target.startsWith(`${root}/`) ||
            !packedFiles.get(name)!.includes(target.slice(root.length + 1))
          ) {
            unresolved.push(`${map} -> ${source}`);
          }
        });
      }
      expect(unresolved).toEqual([]);
    },
  );

  test.each([...manifests.keys()])(
    '%s is packed from a fresh build: no outputs of deleted sources',
    (name) => {
      // A stale dist was once published: npm pack and npm publish run prepack, which compiles and then
      // removes the outputs of deleted sources.
      expect(packedFiles.get(name)!.filter((file) => file.endsWith(staleOutput))).toEqual([]);
      expect(existsSync(join(packagesDir, name.split('/')[1]!, 'dist', staleOutput))).toBe(false);
    },
  );
});

describe('packed packages', { tags: ['slow'] }, () => {
  test.each([...manifests.keys()])(
    '%s installs alone, imports, and is require()d on the oldest Node',
    {
      timeout: 600_000,
    },
    (name) => {
      const needed = [...internalClosure(name)];
      const project = consumer(
        name.replace('/', '__'),
        needed.map((dep) => tarballs.get(dep)!),
      );
      const installed = readdirSync(join(project, 'node_modules', '@progrun')).sort();
      expect(installed).toEqual(needed.map((dep) => dep.split('/')[1]).sort());
      const keys = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import('${name}'); console.log(Object.keys(m).length)`,
        ],
        { cwd: project, encoding: 'utf8' },
      );
      expect(Number(keys)).toBeGreaterThan(0);

      // CommonJS callers: require(esm), which engines promises from Node 20.19 on.
      const old = oldestNode();
      expect(execFileSync(old, ['--version'], { encoding: 'utf8' }).trim()).toBe(`v${oldestNodeVersion}`);
      const required = execFileSync(
        old,
        ['--input-type=commonjs', '-e', `console.log(Object.keys(require('${name}')).sort().join(','))`],
        { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      expect(required.trim()).toBe(
        execFileSync(
          process.execPath,
          ['--input-type=module', '-e', `console.log(Object.keys(await import('${name}')).sort().join(','))`],
          { cwd: project, encoding: 'utf8' },
        ).trim(),
      );
      for (const [command, path] of Object.entries(manifests.get(name)!.bin ?? {})) {
        const version = execFileSync(old, [join(project, 'node_modules', name, path), '--version'], {
          cwd: project,
          encoding: 'utf8',
        });
        expect(version.trim()).toBe(`${command} ${manifests.get(name)!.version}`);
      }
    },
  );
});

describe('installed without a native addon', { tags: ['slow'] }, () => {
  test('@progrun/harness-vm without its optional @progrun/syscall: the host side runs; the probe suite names what it lacks', {
    timeout: 600_000,
  }, () => {
    const project = consumer(
      'harness-vm-host',
      ['@progrun/uapi', '@progrun/harness-vm'].map((name) => tarballs.get(name)!),
      { scripts: false, optional: false },
    );
    // As where @progrun/syscall, an optional dependency, could not be installed: nothing of it is there.
    expect(readdirSync(join(project, 'node_modules', '@progrun')).sort()).toEqual(['harness-vm', 'uapi']);
    const script = `
      import { HarnessError, kernelInventory, runMatrix } from '@progrun/harness-vm';
      const inventory = kernelInventory(process.argv[1]);
      const error = await runMatrix({ kernels: ['host'], outDir: process.argv[2] }).catch((e) => e);
      console.log(JSON.stringify({
        kernels: inventory.kernels.map((k) => k.name),
        harnessError: HarnessError.isInstance(error),
        code: error.code,
        message: error.message,
      }));
    `;
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', script, join(project, 'cache'), join(project, 'matrix')],
      { cwd: project, encoding: 'utf8' },
    );
    const result = JSON.parse(out) as { kernels: string[]; message: string };
    expect(result.kernels).toContain('host');
    expect(result).toMatchObject({ harnessError: true, code: 'ERR_PROGRUN_MISSING_TOOL' });
    expect(result.message).toContain('@progrun/syscall, which is not installed');
  });

  test('@progrun/cli, scripts disabled, no addon for this platform: what needs none works, the rest says what to run', {
    timeout: 600_000,
  }, () => {
    const project = consumer('cli-no-addon', [...tarballs.values()], { scripts: false });
    // As on a platform without a prebuilt addon: whatever the tarball or a build put there goes.
    const syscall = join(project, 'node_modules', '@progrun', 'syscall');
    for (const dir of ['build', 'prebuilds']) rmSync(join(syscall, dir), { recursive: true, force: true });
    const progrun = join(project, 'node_modules', '.bin', 'progrun');
    const run = (args: string[], env: NodeJS.ProcessEnv = {}) => {
      try {
        return {
          code: 0,
          stdout: execFileSync(progrun, args, {
            cwd: project,
            encoding: 'utf8',
            env: { ...process.env, NO_COLOR: '1', npm_config_user_agent: '', ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
          }),
          stderr: '',
        };
      } catch (error) {
        const failed = error as { status: number; stdout: string; stderr: string };
        return { code: failed.status, stdout: failed.stdout, stderr: failed.stderr };
      }
    };
    for (const args of [
      ['--help'],
      ['--version'],
      ['vm', 'kernels'],
      ['demo', '--help'],
      ['run', '--help'],
    ]) {
      const result = run(args);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 0, stderr: '' });
    }
    // The reason is the first line of what the package's loader (node-gyp-build) says it did not find.
    const loaderReason = (() => {
      const nodeGypBuild = createRequire(join(syscall, 'package.json'))('node-gyp-build') as {
        resolve(dir: string): string;
      };
      try {
        return `found ${nodeGypBuild.resolve(syscall)}`;
      } catch (error) {
        return ((error as Error).message.split('\n')[0] ?? '').trim().replace(/\.$/, '');
      }
    })();
    expect(loaderReason).toMatch(/^No native build was found/);
    const paragraph = (manager: string) =>
      `progrun: \`progrun probe\` needs the native addon of @progrun/syscall, which cannot be loaded ` +
      `(${loaderReason}). Run its install script, which finds ` +
      `the prebuilt addon for ${process.platform}-${process.arch} or builds one from source: \`${manager}\`.\n`;
    expect(run(['probe'])).toEqual({
      code: 1,
      stdout: '',
      stderr: paragraph('npm rebuild @progrun/syscall'),
    });
    // A pnpm project: its lockfile says so, and the command is pnpm's.
    writeFileSync(join(project, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
    expect(run(['probe'])).toEqual({
      code: 1,
      stdout: '',
      stderr: paragraph('pnpm add @progrun/syscall --allow-build=@progrun/syscall'),
    });
    const json = run(['probe', '--json'], {
      npm_config_user_agent: 'bun/1.2.15 npm/? node/v22.12.0 linux x64',
    });
    expect(json.code).toBe(1);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      error: { kind: 'addon-unavailable', hint: expect.stringContaining('`bun pm trust @progrun/syscall`') },
    });
  });
});
