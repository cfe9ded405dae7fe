import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { shellCommand, shellQuote } from '../src/util/shell-quote.js';
import { controlFiles, renderGuestScript } from '../src/vm/guest-script.js';

// The guest script is plain sh: run it on the host to check the protocol the harness reads back.
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hvm-guest-script-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function runScript(command: string | string[], cwd = '/', env: Record<string, string> = {}) {
  const script = join(dir, controlFiles.script);
  writeFileSync(script, renderGuestScript({ controlDir: dir, cwd, env, command }));
  const result = await execa('sh', [script], { reject: false, stdin: 'ignore' });
  const read = (name: string) => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch {
      return undefined;
    }
  };
  return {
    result,
    started: read(controlFiles.started),
    exit: read(controlFiles.exit),
    stderr: read(controlFiles.stderr),
  };
}

describe('guest script', () => {
  test('marks userspace, runs the command, reports its exit status as JSON and exits with it', async () => {
    const run = await runScript(['sh', '-c', 'echo out; echo err >&2; exit 7']);
    expect(JSON.parse(run.started!)).toEqual({ release: expect.any(String) });
    expect(JSON.parse(run.exit!)).toEqual({ exitCode: 7 });
    expect(run.result.exitCode).toBe(7);
    expect(run.result.stdout).toBe('out');
    expect(run.stderr).toBe('err\n');
  });

  test('passes the environment and working directory', async () => {
    const run = await runScript('printf "%s|%s" "$PWD" "$PROGRUN_TEST_VALUE"', dir, {
      PROGRUN_TEST_VALUE: "it's $HOME `x`",
      'BAD NAME': 'dropped',
    });
    expect(run.result.stdout).toBe(`${dir}|it's $HOME \`x\``);
    expect(JSON.parse(run.exit!)).toEqual({ exitCode: 0 });
  });

  test('a missing working directory is exit 125, still reported', async () => {
    const run = await runScript(['true'], join(dir, 'missing'));
    expect(JSON.parse(run.exit!)).toEqual({ exitCode: 125 });
    expect(run.result.exitCode).toBe(125);
  });

  test('a command killed by a signal reports 128 + signal', async () => {
    const run = await runScript(['sh', '-c', 'kill -TERM $$']);
    expect(JSON.parse(run.exit!)).toEqual({ exitCode: 143 });
  });
});

describe('shell quoting', () => {
  // 40 shells: seconds on a loaded 2-core machine.
  test('any argv survives quoting for sh unchanged', { tags: ['slow'] }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.string({ unit: 'binary' }).map((s) => s.replaceAll('\0', '')),
          { minLength: 1, maxLength: 4 },
        ),
        async (words) => {
          const { stdout } = await execa('sh', ['-c', `printf '%s\\0' ${words.map(shellQuote).join(' ')}`], {
            stripFinalNewline: false,
          });
          expect(stdout.split('\0').slice(0, -1)).toEqual(words);
        },
      ),
      { numRuns: 40 },
    );
  });

  test('a string command is used as a shell line, an array is quoted', () => {
    expect(shellCommand('a && b')).toBe('a && b');
    expect(shellCommand(['echo', 'a b', "c'd"])).toBe(`echo 'a b' 'c'\\''d'`);
  });
});
