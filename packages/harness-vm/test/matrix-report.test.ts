import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKernelVersion } from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import type { KernelRunResult } from '../src/harness/kernel-run-result.js';
import type { RunReport } from '../src/harness/run-kernels.js';
import { evaluateMatrix } from '../src/matrix/evaluate-matrix.js';
import { probeDefinitions } from '../src/probes/probe-definitions.js';
import { compareWithExpectation } from '../src/probes/probe-expectation.js';
import type { ProbeReport } from '../src/probes/probe-observation.js';
import { renderKernelMatrixDocument } from '../src/report/kernel-matrix-document.js';
import { renderMatrixJunit } from '../src/report/matrix-junit.js';
import { renderMatrixMarkdown } from '../src/report/matrix-markdown.js';

// A run of the probe suite recorded on host 6.18, Debian 5.10.223, 6.1.176 and 6.12.107.
const recorded = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures/matrix/report-host-5.10-6.1-6.12.json'), 'utf8'),
) as RunReport;

function withObservation(kernel: string, probe: string, observation: object): KernelRunResult[] {
  return recorded.results.map((result) => {
    if (result.kernel.name !== kernel) return result;
    const report = result.guestResults['probes.json'] as ProbeReport;
    return {
      ...result,
      guestResults: {
        'probes.json': { ...report, observations: { ...report.observations, [probe]: observation } },
      },
    };
  });
}

const cellOf = (matrix: ReturnType<typeof evaluateMatrix>, probe: string, kernel: string) =>
  matrix.rows.find((row) => row.id === probe)!.cells.find((cell) => cell.kernel === kernel)!;

describe('matrix evaluation', () => {
  const matrix = evaluateMatrix(recorded.results);

  test('the recorded kernels agree with every expectation', () => {
    expect(matrix.counts).toMatchObject({ contradiction: 0, 'not-run': 0 });
    expect(matrix.passed).toBe(true);
    expect(matrix.columns.map((c) => `${c.kernel} ${c.version}`)).toEqual([
      'host 6.18.44',
      '5.10 5.10.223',
      '6.1 6.1.176',
      '6.12 6.12.107',
    ]);
  });

  test('the live-frame and unknown-flag rows differ between 5.10 and 6.1', () => {
    for (const probe of ['xdp.unknown-flag', 'xdp.live-frames', 'xdp.live-flag-alone']) {
      const old = cellOf(matrix, probe, '5.10').observation;
      const modern = cellOf(matrix, probe, '6.1').observation;
      expect(old, probe).not.toEqual(modern);
    }
    expect(cellOf(matrix, 'xdp.unknown-flag', '5.10').observation).toEqual({ outcome: 'ok', retval: 2 });
    expect(cellOf(matrix, 'xdp.unknown-flag', '6.1').observation).toEqual({
      outcome: 'error',
      code: 'EINVAL',
    });
  });

  test('features that stable updates brought to older kernels are backports, not contradictions', () => {
    expect(cellOf(matrix, 'skb.checksum-complete', '6.1').verdict).toBe('backport');
    expect(cellOf(matrix, 'test_run.SK_LOOKUP', '5.10').verdict).toBe('backport');
    expect(cellOf(matrix, 'skb.checksum-complete', '6.12').verdict).toBe('expected');
  });

  test('a 6.1 kernel that ignores the unknown flag, as 5.10 does, contradicts the matrix', () => {
    const contradicted = evaluateMatrix(
      withObservation('6.1', 'xdp.unknown-flag', { outcome: 'ok', retval: 2 }),
    );
    expect(contradicted.passed).toBe(false);
    expect(cellOf(contradicted, 'xdp.unknown-flag', '6.1')).toMatchObject({ verdict: 'contradiction' });
  });

  test('a feature probe saying unsupported at or above its declared minimum fails (the cilium/ebpf rule)', () => {
    const missing = evaluateMatrix(
      withObservation('6.12', 'feature.xdp_live_frames', {
        outcome: 'unsupported',
        declared: { minKernel: '5.18' },
      }),
    );
    expect(cellOf(missing, 'feature.xdp_live_frames', '6.12').verdict).toBe('contradiction');
  });

  test('an inconclusive probe fails only a strict matrix; a kernel without a report always fails it', () => {
    expect(cellOf(matrix, 'test_run.TRACING', 'host').verdict).toBe('inconclusive');
    expect(evaluateMatrix(recorded.results, { strict: true }).passed).toBe(false);
    const bootFailed = recorded.results.map((result) =>
      result.kernel.name === '6.1'
        ? { ...result, outcome: 'boot-failure' as const, guestResults: {} }
        : result,
    );
    const failed = evaluateMatrix(bootFailed);
    expect(failed.passed).toBe(false);
    expect(failed.counts['not-run']).toBe(probeDefinitions.length);
  });

  test('every probe declares an expectation for every catalogue kernel', () => {
    for (const version of ['5.10.0', '6.1.0', '6.12.0', '6.18.0']) {
      for (const definition of probeDefinitions) {
        const expectation = definition.expectation(parseKernelVersion(version), {
          outcome: 'supported',
          declared: { minKernel: '5.18' },
        });
        expect(expectation.anyOf.length, `${definition.id} on ${version}`).toBeGreaterThan(0);
      }
    }
  });

  test('observations are compared on errno names and return values', () => {
    const expectation = { anyOf: [{ outcome: 'ok' as const, retval: 0 }], because: 'live' };
    expect(compareWithExpectation({ outcome: 'ok', retval: 0 }, expectation)).toBe('expected');
    expect(compareWithExpectation({ outcome: 'ok', retval: 2 }, expectation)).toBe('contradiction');
    expect(compareWithExpectation({ outcome: 'error', code: 'EINVAL' }, expectation)).toBe('contradiction');
  });
});

describe('matrix reports', () => {
  const matrix = evaluateMatrix(recorded.results);

  test('Markdown: one table per group, kernels as columns, errno names in cells, marks explained', () => {
    const markdown = renderMatrixMarkdown(matrix);
    expect(markdown).toContain(
      '| probe | host (6.18.44) | 5.10 (5.10.223) | 6.1 (6.1.176) | 6.12 (6.12.107) |',
    );
    expect(markdown).toContain('| XDP live, batch_size 300 | E2BIG | EINVAL | E2BIG | E2BIG |');
    expect(markdown).toContain(
      '| SCHED_CLS, BPF_F_TEST_SKB_CHECKSUM_COMPLETE | ok, retval 0 | EINVAL | ok, retval 0 † | ok, retval 0 |',
    );
    expect(markdown).toContain('- TRACING on host: cannot tell');
    expect(markdown).toMatch(/0 contradictions, 1 inconclusive, 0 not run: PASSED\./);
  });

  test('Markdown marks a contradiction with the expected result', () => {
    const contradicted = evaluateMatrix(
      withObservation('6.1', 'xdp.batch-300', { outcome: 'error', code: 'EINVAL' }),
    );
    expect(renderMatrixMarkdown(contradicted)).toContain('**✗ EINVAL** (expected E2BIG)');
  });

  test('JUnit: a suite per kernel, a failure per contradiction, inconclusive probes skipped', () => {
    const contradicted = evaluateMatrix(
      withObservation('6.1', 'xdp.batch-300', { outcome: 'error', code: 'EINVAL' }),
    );
    const xml = renderMatrixJunit(contradicted);
    expect(xml.match(/<testsuite /g)).toHaveLength(4);
    expect(xml).toContain('<testsuite name="kernel 6.1 6.1.0-50-amd64"');
    expect(xml).toContain('<failure type="contradiction" message="expected E2BIG, got EINVAL">');
    expect(xml).toMatch(
      /<testcase name="test_run.TRACING: TRACING"[^>]*>\s*<skipped message="inconclusive: cannot tell/,
    );
    expect(xml).toMatch(/<testsuites tests="\d+" failures="1" errors="0" skipped="1"/);
  });

  test('JUnit times are how long each probe took in the guest', () => {
    const timed = withObservation('5.10', 'xdp.baseline', { outcome: 'ok', retval: 2, durationMs: 1234 });
    const junit = renderMatrixJunit(evaluateMatrix(timed));
    expect(junit).toMatch(/<testcase name="xdp\.baseline: [^"]*" classname="[^"]*" time="1\.234">/);
  });

  test('a matrix of no kernel (an empty shard) says so, with no table', () => {
    const empty = evaluateMatrix([]);
    expect(renderMatrixMarkdown(empty)).toBe('No kernel was selected (an empty shard): no probe ran.\n');
  });

  test('the docs page says it is generated, lists the kernels and explains every probe', () => {
    const doc = renderKernelMatrixDocument(matrix, recorded, 'npm run matrix:docs -w @progrun/harness-vm');
    expect(doc.split('\n')[0]).toBe(
      '<!-- DO NOT EDIT: generated by `npm run matrix:docs -w @progrun/harness-vm` from a run of the probe suite. -->',
    );
    expect(doc).toContain('| 5.10 | 5.10.0-32-amd64 | 5.10.223-1 | tcg |');
    for (const definition of probeDefinitions) expect(doc).toContain(`(\`${definition.id}\`)`);
  });

  test('the docs page says what retval means per kernel, from the program-type table', () => {
    const doc = renderKernelMatrixDocument(matrix, recorded, 'progrun vm matrix');
    const section = doc.slice(doc.indexOf('## What retval means per kernel'));
    const row = section.split('\n').find((line) => line.startsWith('| FLOW_DISSECTOR |'));
    const columns = matrix.columns.map((column) => column.kernel);
    const cells = row!.split(' | ').slice(1);
    expect(cells[columns.indexOf('5.10')]).toBe('1 when the program returned BPF_OK, else 0');
    expect(cells[columns.indexOf('6.1')]).toBe("the program's return value");
    expect(doc).toContain('- FLOW_DISSECTOR from 6.1: ');
  });
});
