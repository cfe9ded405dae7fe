import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { runMatrix } from '../src/matrix/run-matrix.js';
import { probeDefinitions } from '../src/probes/probe-definitions.js';

// The probe suite on the running kernel: the same runner the guests start, through @progrun/syscall.
let out: string;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'hvm-matrix-host-'));
});
afterEach(() => rmSync(out, { recursive: true, force: true }));

// A child process runs every probe; runMatrix first loads @progrun/syscall here to check its addon.
test('the probe suite on the host kernel answers every probe and contradicts none', {
  tags: ['privileged'],
  timeout: 60_000,
}, async () => {
  const { matrix, report } = await runMatrix({ kernels: ['host'], outDir: out });
  expect(report.results[0]).toMatchObject({ outcome: 'pass', accelerator: 'none' });
  const cells = matrix.rows.map((row) => row.cells[0]!);
  expect(cells).toHaveLength(probeDefinitions.length);
  expect(cells.filter((cell) => cell.verdict === 'contradiction')).toEqual([]);
  expect(cells.filter((cell) => cell.verdict === 'not-run')).toEqual([]);
  // The baseline run must be a real answer on any kernel.
  expect(cells.find((cell) => cell.probe === 'xdp.baseline')!.observation).toEqual({
    outcome: 'ok',
    retval: 2,
    durationMs: expect.any(Number),
  });
  expect(JSON.parse(readFileSync(join(out, 'matrix.json'), 'utf8')).passed).toBe(matrix.passed);
});
