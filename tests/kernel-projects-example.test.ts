import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ReportedTest } from './fixtures/test-results-reporter.js';

const example = resolve(import.meta.dirname, '../examples/kernel-projects');
const reporter = resolve(import.meta.dirname, 'fixtures/test-results-reporter.ts');

interface Results {
  readonly tests: ReportedTest[];
  readonly errors: string[];
}

/** Runs vitest in `cwd` with `args`; returns its exit code and what the results reporter wrote. */
async function runVitest(cwd: string, args: string[], env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'progrun-kernel-projects-'));
  const resultsFile = join(dir, 'results.json');
  try {
    const exitCode = await new Promise<number | null>((done) => {
      execFile(
        'npx',
        ['vitest', 'run', `--reporter=${reporter}`, ...args],
        { cwd, env: { ...process.env, ...env, PROGRUN_TEST_RESULTS: resultsFile, CI: 'true' } },
        (error) => done(error ? ((error as { code?: number }).code ?? null) : 0),
      );
    });
    return { exitCode, ...(JSON.parse(readFileSync(resultsFile, 'utf8')) as Results) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('examples/kernel-projects: a user suite on the host and in a 5.10 guest, one vitest run', {
  tags: ['vm', 'slow', 'privileged'],
}, () => {
  test('the config is a few lines', () => {
    expect(readFileSync(join(example, 'vitest.config.ts'), 'utf8').trimEnd().split('\n').length).toBeLessThan(
      15,
    );
  });

  test('each test reports once per kernel; on 5.10 the ctx_in test skips naming the feature', async () => {
    const { exitCode, tests, errors } = await runVitest(example, [], { PROGRUN_KERNELS: 'host,5.10' });
    expect(errors).toEqual([]);
    expect(exitCode).toBe(0);
    const byKernel = (project: string) =>
      tests.filter((t) => t.project === project).map(({ state, note }) => ({ state, note }));
    expect(byKernel('kernel:host')).toEqual([
      { state: 'passed', note: undefined },
      { state: 'passed', note: undefined },
    ]);
    expect(byKernel('kernel:5.10')).toEqual([
      { state: 'passed', note: undefined },
      { state: 'skipped', note: expect.stringMatching(/xdp_md context.*Linux 5\.15\+.*running 5\.10\./) },
    ]);
  });

  test('-t and --project select in the guest as on the host', async () => {
    const { exitCode, tests } = await runVitest(
      example,
      ['--project', 'kernel:5.10', '-t', 'without metadata'],
      {
        PROGRUN_KERNELS: 'host,5.10',
      },
    );
    expect(exitCode).toBe(0);
    expect(tests.map(({ project, state }) => [project, state])).toEqual([
      ['kernel:5.10', 'passed'],
      ['kernel:5.10', 'skipped'],
    ]);
  });

  test('a guest that does not boot fails every test file, naming it and the reason; nothing passes', async () => {
    const config = resolve(import.meta.dirname, 'fixtures/kernel-boot-failure.config.ts');
    const { exitCode, tests, errors } = await runVitest(example, ['--config', config], {});
    expect(exitCode).not.toBe(0);
    expect(tests.filter((t) => t.state === 'passed')).toEqual([]);
    expect(errors.join('\n')).toMatch(
      /test\/xdp-meta\.test\.ts did not finish: kernel 5\.10 .*boot-failure: boot did not finish within 1 s/,
    );
  });
});
