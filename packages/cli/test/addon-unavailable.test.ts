import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { addonUnavailableError } from '../src/cli/addon-unavailable.js';
import { detectPackageManager, runInstallScriptCommand } from '../src/cli/package-manager.js';
import { exampleSource, progrun } from './helpers/run-progrun.js';

// Where @progrun/syscall's native addon cannot be loaded (no prebuilt binary for the platform and install
// scripts disabled, or PROGRUN_NATIVE_PATH naming nothing), the commands that do not need it work and
// those that do end with one paragraph (or one JSON error) saying what is missing and how to get it.
const noAddon = { PROGRUN_NATIVE_PATH: '/nonexistent/progrun_syscall.node' };
const stackTrace = /\n\s+at .+:\d+:\d+/;

describe('progrun without the native addon', () => {
  test.each([
    '--help',
    '--version',
    'vm kernels',
    'vm kernels --json',
    ...['run', 'probe', 'demo', 'live', 'matrix', 'vm run', 'vm matrix', 'vm kernels'].map(
      (command) => `${command} --help`,
    ),
  ])('progrun %s works', async (words) => {
    const result = await progrun(words.split(' '), noAddon);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(0);
  });

  test.each([
    ['run', [exampleSource('xdp-reflector')]],
    ['probe', []],
    ['demo', []],
    ['live', [exampleSource('xdp-reflector')]],
    ['vm matrix', ['--kernels', 'host']],
  ])('progrun %s ends with one paragraph naming the addon and the fix', async (command, args) => {
    const result = await progrun([...command.split(' '), ...args], noAddon);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(stackTrace);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `progrun: \`progrun ${command}\` needs the native addon of @progrun/syscall, which cannot be loaded ` +
        "(Cannot find module '/nonexistent/progrun_syscall.node'). PROGRUN_NATIVE_PATH names " +
        `/nonexistent/progrun_syscall.node: point it at a progrun_syscall.node built for ${process.platform}-${process.arch}, or unset it to use the package's own.`,
    );
  });

  test('--json: one error object on stdout, nothing on stderr', async () => {
    const result = await progrun(['probe', '--json'], noAddon);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      $schema: 'https://unpkg.com/@progrun/cli/schemas/error.v1.json',
      ok: false,
      error: {
        kind: 'addon-unavailable',
        exitCode: 1,
        message: expect.stringContaining('`progrun probe` needs the native addon of @progrun/syscall'),
        hint: expect.stringContaining('PROGRUN_NATIVE_PATH names /nonexistent/progrun_syscall.node'),
      },
    });
  });
});

describe('the install command of the package manager in use', () => {
  const missing = new Error('@progrun/syscall: no native addon', {
    cause: new Error("Cannot find module '../build/Release/progrun_syscall.node'\nRequire stack:\n- x"),
  });

  test.each([
    ['npm/11.19.1 node/v20.19.0 linux x64 workspaces/false', 'npm rebuild @progrun/syscall'],
    [
      'pnpm/10.12.1 npm/? node/v22.12.0 linux x64',
      'pnpm add @progrun/syscall --allow-build=@progrun/syscall',
    ],
    ['yarn/4.9.1 npm/? node/v22.12.0 linux x64', 'yarn rebuild @progrun/syscall'],
    ['bun/1.2.15 npm/? node/v24.3.0 linux x64', 'bun pm trust @progrun/syscall'],
  ])('started by %s: %s', (agent, command) => {
    const error = addonUnavailableError('run', missing, { npm_config_user_agent: agent });
    expect(error).toMatchObject({ kind: 'addon-unavailable', exitCode: 1 });
    expect(error.message).toBe(
      "`progrun run` needs the native addon of @progrun/syscall, which cannot be loaded (Cannot find module '../build/Release/progrun_syscall.node')",
    );
    expect(error.hint).toBe(
      `Run its install script, which finds the prebuilt addon for ${process.platform}-${process.arch} or builds one from source: \`${command}\`.`,
    );
  });

  const projects = mkdtempSync(join(tmpdir(), 'progrun-pm-'));
  afterAll(() => rmSync(projects, { recursive: true, force: true }));

  test.each([
    ['pnpm-lock.yaml', 'pnpm'],
    ['yarn.lock', 'yarn'],
    ['bun.lock', 'bun'],
    ['bun.lockb', 'bun'],
    ['package-lock.json', 'npm'],
  ] as const)('without a user agent, the nearest lockfile decides: %s is %s', (lockfile, manager) => {
    const project = mkdtempSync(join(projects, 'project-'));
    writeFileSync(join(project, lockfile), '');
    const nested = join(project, 'packages');
    expect(detectPackageManager({}, project)).toBe(manager);
    expect(detectPackageManager({}, nested)).toBe(manager);
    expect(runInstallScriptCommand(manager, '@progrun/syscall')).toMatch(new RegExp(`^${manager} `));
  });

  test('with neither, npm', () => {
    expect(detectPackageManager({}, '/')).toBe('npm');
  });
});
