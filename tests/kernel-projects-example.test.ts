import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import type { ReportedTest } from './fixtures/test-results-reporter.js';

const example = resolve(import.meta.dirname, '../examples/kernel-projects');
const reporter = resolve(import.meta.dirname, 'fixtures/test-results-reporter.ts');

describe('examples/kernel-projects: a user suite on the host and in a 5.10 guest, one vitest run', {
  tags: ['vm', 'slow', 'privileged'],
}, () => {
  test('the config is a few lines', () => {
    expect(readFileSync(join(example, 'vitest.config.ts'), 'utf8').trimEnd().split('\n').length).toBeLessThan(
      15,
    );
  });

  test('each test reports once per kernel; on 5.10 the ctx_in test skips naming the feature', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'progrun-kernel-projects-'));
    const resultsFile = join(dir, 'results.json');
    try {
      await promisify(execFile)('npx', ['vitest', 'run', `--reporter=${reporter}`], {
        cwd: example,
        env: { ...process.env, PROGRUN_KERNELS: 'host,5.10', PROGRUN_TEST_RESULTS: resultsFile, CI: 'true' },
      });
      const { tests, errors } = JSON.parse(readFileSync(resultsFile, 'utf8')) as {
        tests: ReportedTest[];
        errors: string[];
      };
      expect(errors).toEqual([]);
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
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
