import { describe, expect, test } from 'vitest';
import { progrun } from './helpers/run-progrun.js';

const commands = ['run', 'probe', 'demo', 'live', 'vm', 'matrix'];
const vmCommands = ['vm run', 'vm matrix', 'vm kernels'];
const stackTrace = /\n\s+at .+:\d+:\d+/;

describe('progrun usage', () => {
  test('--help lists every command, examples and the exit codes', async () => {
    const { code, stdout } = await progrun(['--help']);
    expect(code).toBe(0);
    for (const command of commands) expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(stdout).toContain('Examples:');
    expect(stdout).toContain('Exit codes:');
  });

  test('no arguments prints the help and exits 2', async () => {
    const { code, stdout } = await progrun([]);
    expect(code).toBe(2);
    expect(stdout).toContain('Usage: progrun <command>');
  });

  test.each([...commands, ...vmCommands])('%s --help has usage, options and examples', async (command) => {
    const { code, stdout } = await progrun([...command.split(' '), '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`progrun ${command}`);
    expect(stdout).toContain('Examples:');
    expect(stdout).toContain('Exit codes:');
  });

  test('vm lists its commands; without one it prints that list and exits 2', async () => {
    const { code, stdout } = await progrun(['vm']);
    expect(code).toBe(2);
    expect(stdout).toContain('Usage: progrun vm <command>');
    for (const command of vmCommands) expect(stdout).toMatch(new RegExp(`^  ${command.slice(3)} `, 'm'));
  });

  test('help vm matrix is the same as vm matrix --help, and matrix is the same command', async () => {
    const viaHelp = await progrun(['help', 'vm', 'matrix']);
    const viaFlag = await progrun(['vm', 'matrix', '--help']);
    const alias = await progrun(['matrix', '--help']);
    expect(viaHelp.stdout).toContain('Usage: progrun vm matrix');
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(alias.stdout).toBe(viaFlag.stdout);
  });

  test('an unknown vm command is a usage error naming the vm commands', async () => {
    const { code, stdout, stderr } = await progrun(['vm', 'boot']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown command "vm boot"; the vm commands are run, matrix, kernels');
    expect(stderr).not.toMatch(stackTrace);
  });

  test('help <command> is the same as <command> --help', async () => {
    const viaHelp = await progrun(['help', 'run']);
    const viaFlag = await progrun(['run', '--help']);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
  });

  test('--version prints the package version', async () => {
    const { code, stdout } = await progrun(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^progrun \d+\.\d+\.\d+/);
  });

  test('an unknown command is a usage error naming the commands', async () => {
    const { code, stdout, stderr } = await progrun(['frobnicate']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown command "frobnicate"');
    expect(stderr).toContain('the commands are run, probe, demo, live, vm, matrix');
    expect(stderr).not.toMatch(stackTrace);
  });

  test('an unknown option is a usage error pointing at the command help', async () => {
    const { code, stderr } = await progrun(['run', 'x.bpf.c', '--frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown option --frobnicate for progrun run; its options are --prog, --type,');
    expect(stderr).toContain('progrun run --help');
    expect(stderr).not.toMatch(stackTrace);
  });

  test('a bad integer option names the option and its range', async () => {
    const { code, stderr } = await progrun(['run', 'x.bpf.c', '--repeat', 'many']);
    expect(code).toBe(2);
    expect(stderr).toContain('--repeat must be an integer from 1 to 4294967295, not "many"');
  });

  test('--ctx must be JSON', async () => {
    const { code, stderr } = await progrun(['run', 'x.bpf.c', '--ctx', '{mark: 1}']);
    expect(code).toBe(2);
    expect(stderr).toContain('--ctx is not valid JSON');
  });

  test('with --json, errors are a JSON document on stdout and nothing on stderr', async () => {
    const { code, stdout, stderr } = await progrun(['run', 'missing.bpf.c', '--json']);
    expect(code).toBe(2);
    expect(stderr).toBe('');
    const document = JSON.parse(stdout) as {
      ok: boolean;
      error: { kind: string; exitCode: number; message: string };
    };
    expect(document.ok).toBe(false);
    expect(document.error).toMatchObject({
      kind: 'usage',
      exitCode: 2,
      message: 'no such file: missing.bpf.c',
    });
  });

  test('colours only on a terminal: piped output has no escape codes even with colourful content', async () => {
    const { stderr } = await progrun(['frobnicate'], { NO_COLOR: '' });
    expect(stderr).not.toContain('\u001b[');
  });

  test('FORCE_COLOR colours a pipe', async () => {
    const forced = await progrun(['frobnicate'], { NO_COLOR: '', FORCE_COLOR: '1' });
    expect(forced.stderr).toContain('\u001b[');
  });
});
