import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { progrun } from './helpers/run-progrun.js';

describe('progrun vm matrix', () => {
  test('the probe suite on the host kernel: table, runs, verdict and reports', {
    tags: ['privileged'],
  }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'progrun-cli-matrix-'));
    const reports = ['copy.md', 'copy.xml', 'copy.json'].map((name) => join(out, 'reports', name));
    const { code, stdout, stderr } = await progrun([
      'vm',
      'matrix',
      '--kernel',
      'host',
      '--out',
      out,
      ...reports.flatMap((report) => ['--report', report]),
    ]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^\[\s*\d+\.\d s\] host: running on the host \(/m);
    expect(stderr).toMatch(/^\[\s*\d+\.\d s\] host: pass: /m);
    expect(stdout).toMatch(/^\| XDP \| supported \|$/m);
    expect(stdout).toMatch(/^host\s+\S+\s+none\s+pass\s+0\s/m);
    expect(stdout).toMatch(/^matrix passed: \d+ expected, .* reports and logs in /m);
    const [markdown, junit, json] = reports.map((report) => readFileSync(report!, 'utf8'));
    expect(readFileSync(join(out, 'matrix.md'), 'utf8')).toBe(markdown);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toBe(junit);
    expect(junit).toContain('<testsuite');
    // Every probe case carries the time it took in the guest (some take well under a millisecond).
    expect(junit).toMatch(/<testcase [^>]*time="(?!0\.000")\d+\.\d{3}"/);
    expect(JSON.parse(json!)).toMatchObject({ matrix: { passed: true }, report: { outDir: out } });
  });

  test('--json gives the matrix and the run report; `progrun matrix` is the same command', {
    tags: ['privileged'],
  }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'progrun-cli-matrix-'));
    const { code, stdout, stderr } = await progrun(['matrix', '--kernels', 'host', '--out', out, '--json']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const document = JSON.parse(stdout) as {
      ok: boolean;
      matrix: { passed: boolean };
      report: { outDir: string };
    };
    expect(document).toMatchObject({ ok: true, matrix: { passed: true }, report: { outDir: out } });
  });

  test('a shard that selects no kernel says so: no table, no verdict of probes that never ran', async () => {
    const out = mkdtempSync(join(tmpdir(), 'progrun-cli-matrix-'));
    const md = join(out, 'matrix-copy.md');
    const { code, stdout } = await progrun([
      'vm',
      'matrix',
      '--kernels',
      'host',
      '--shard',
      '2/2',
      '--out',
      out,
      '--report',
      md,
    ]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      `--shard 2/2 selects none of the 1 kernels asked for (host): nothing ran; reports and logs in ${out}\n`,
    );
    expect(readFileSync(md, 'utf8')).toBe('No kernel was selected (an empty shard): no probe ran.\n');
  });

  test('an unknown kernel is a usage error listing the catalogue', async () => {
    const { code, stderr } = await progrun(['vm', 'matrix', '--kernel', 'linux-2.6']);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'unknown kernel "linux-2.6"; the catalogue has host, 5.10, 6.1, 6.12, 7.2, latest',
    );
    expect(stderr).toContain('progrun vm matrix --help');
  });

  test('a --report whose extension names no format is a usage error, before anything runs', async () => {
    const out = mkdtempSync(join(tmpdir(), 'progrun-cli-matrix-'));
    const { code, stderr } = await progrun([
      'vm',
      'matrix',
      '--kernel',
      'host',
      '--out',
      out,
      '--report',
      'm.txt',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      "--report m.txt: the file's extension picks the format, one of .json (json), .md (markdown), .xml (junit)",
    );
    expect(stderr).not.toContain('host:');
  });
});
