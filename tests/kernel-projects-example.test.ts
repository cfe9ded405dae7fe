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

/** Each kernel's tests, by name: state and skip note. */
function byKernel(
  tests: readonly ReportedTest[],
): Record<string, { name: string; state: string; note?: string }[]> {
  const kernels: Record<string, { name: string; state: string; note?: string }[]> = {};
  for (const { project, name, state, note } of tests) {
    kernels[project] = [...(kernels[project] ?? []), { name, state, note }];
  }
  for (const list of Object.values(kernels)) list.sort((a, b) => a.name.localeCompare(b.name));
  return kernels;
}

const ctxInTest = 'a packet whose metadata carries the mark is dropped (xdp_md ctx_in: Linux 5.15+)';
const plainTest = 'a packet without metadata passes (any kernel with XDP test runs)';
const expectedByKernel = {
  'kernel:host': [
    { name: ctxInTest, state: 'passed', note: undefined },
    { name: plainTest, state: 'passed', note: undefined },
  ],
  'kernel:5.10': [
    {
      name: ctxInTest,
      state: 'skipped',
      note: expect.stringMatching(/xdp_md context.*Linux 5\.15\+.*running 5\.10\./),
    },
    { name: plainTest, state: 'passed', note: undefined },
  ],
};

/**
 * The vm tag's deadline, for one guest boot and its tests: minutes under TCG on a loaded machine. A test that
 * boots more guests one after the other gets one such deadline per boot.
 */
const perGuestBootMs = 600_000;

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
    expect(byKernel(tests)).toEqual(expectedByKernel);
  });

  // Each shard boots its own 5.10 guest (one boot per kernel per shard), one shard after the other.
  test('vitest --shard with the blob reporter on two machines, then --merge-reports: one report', {
    timeout: 2 * perGuestBootMs,
  }, async () => {
    const blobs = mkdtempSync(join(tmpdir(), 'progrun-kernel-blobs-'));
    try {
      for (const shard of ['1/2', '2/2']) {
        const output = join(blobs, `blob-${shard.replace('/', '-of-')}.json`);
        const args = ['--shard', shard, '--reporter=blob', `--outputFile=${output}`];
        const { exitCode } = await runVitest(example, args, { PROGRUN_KERNELS: 'host,5.10' });
        expect(exitCode).toBe(0);
      }
      const merged = await runVitest(example, [`--merge-reports=${blobs}`], { PROGRUN_KERNELS: 'host,5.10' });
      expect(merged.errors).toEqual([]);
      expect(merged.exitCode).toBe(0);
      expect(byKernel(merged.tests)).toEqual(expectedByKernel);
    } finally {
      rmSync(blobs, { recursive: true, force: true });
    }
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
    expect(tests.map(({ project, name, state }) => [project, name, state]).sort()).toEqual([
      ['kernel:5.10', ctxInTest, 'skipped'],
      ['kernel:5.10', plainTest, 'passed'],
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
