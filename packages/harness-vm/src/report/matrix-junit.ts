import type { KernelMatrix } from '../matrix/kernel-matrix.js';
import { formatExpectation } from '../probes/probe-expectation.js';
import { formatObservation } from '../probes/probe-observation.js';
import { arrayArgument, objectArgument } from '../util/argument-checks.js';
import { type JunitCase, renderJunit } from './xml.js';

/**
 * The matrix as JUnit XML: one test suite per kernel, one test case per probe. A contradiction is a
 * `failure`, an inconclusive probe `skipped` (with the reason), a kernel without a probe report an
 * `error`. A case's time is how long its probe took in the guest.
 * @throws {ValidationError} naming an argument of the wrong kind.
 */
export function renderMatrixJunit(matrix: KernelMatrix): string {
  objectArgument('matrix', matrix, 'a kernel matrix (evaluateMatrix)');
  arrayArgument('matrix.columns', matrix.columns);
  arrayArgument('matrix.rows', matrix.rows);
  const suites = matrix.columns.map((column) => {
    const cases = matrix.rows.map((row): JunitCase => {
      const cell = row.cells.find((c) => c.kernel === column.kernel)!;
      const seen = formatObservation(cell.observation);
      const base = {
        name: `${row.id}: ${row.title}`,
        classname: `harness-vm.matrix.${row.group}`,
        seconds: (cell.observation?.durationMs ?? 0) / 1000,
      };
      switch (cell.verdict) {
        case 'contradiction':
          return {
            ...base,
            failure: {
              type: 'contradiction',
              message: `expected ${formatExpectation(cell.expectation!)}, got ${seen}`,
              details: cell.expectation!.because,
            },
          };
        case 'inconclusive':
          return { ...base, skipped: `inconclusive: ${cell.observation?.note ?? ''}` };
        case 'not-run':
          return { ...base, error: { type: column.outcome, message: column.reason } };
        default:
          return { ...base, output: `${seen}${cell.verdict === 'backport' ? ' (backport)' : ''}` };
      }
    });
    const release = column.release ? ` ${column.release}` : '';
    return { name: `kernel ${column.kernel}${release}`, cases };
  });
  return renderJunit(suites);
}
