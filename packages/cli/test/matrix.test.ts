import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { progrun } from './helpers/run-progrun.js';

describe('progrun matrix', () => {
  test('the probe suite on the host kernel: table, verdict and reports', {
    tags: ['privileged'],
  }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'progrun-cli-matrix-'));
    const markdown = join(out, 'copy.md');
    const { code, stdout, stderr } = await progrun([
      'matrix',
      '--kernel',
      'host',
      '--out',
      out,
      '--markdown',
      markdown,
    ]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^host: running on the host/m);
    expect(stdout).toMatch(/^\| XDP \| supported \|$/m);
    expect(stdout).toMatch(/^matrix passed: \d+ expected, .* reports and logs in /m);
    expect(readFileSync(join(out, 'matrix.md'), 'utf8')).toBe(readFileSync(markdown, 'utf8'));
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('<testsuite');
  });

  test('--json gives the matrix and the run report', { tags: ['privileged'] }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'progrun-cli-matrix-'));
    const { code, stdout } = await progrun(['matrix', '--kernel', 'host', '--out', out, '--json']);
    expect(code).toBe(0);
    const document = JSON.parse(stdout) as {
      ok: boolean;
      matrix: { passed: boolean };
      report: { outDir: string };
    };
    expect(document).toMatchObject({ ok: true, matrix: { passed: true }, report: { outDir: out } });
  });

  test('an unknown kernel is a usage error listing the catalogue', async () => {
    const { code, stderr } = await progrun(['matrix', '--kernel', '2.6']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown kernel 2.6; the catalogue has host, 5.10, 6.1, 6.12');
  });
});
