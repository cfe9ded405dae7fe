import type { KernelMatrix, MatrixCell, MatrixColumn } from '../matrix/kernel-matrix.js';
import type { ProbeGroup } from '../probes/probe-definitions.js';
import { formatExpectation } from '../probes/probe-expectation.js';
import { formatObservation } from '../probes/probe-observation.js';
import { arrayArgument, objectArgument } from '../util/argument-checks.js';

/** What a matrix of no kernel says (a CI shard beyond the kernel list). */
export const noKernelProbed = 'No kernel was selected (an empty shard): no probe ran.';

/** Section titles of the matrix, in order. */
export const groupTitles: Readonly<Record<ProbeGroup, string>> = {
  xdp: 'XDP test runs: flags, live frames, batch size, context, short packets',
  options: 'Run options of other program types',
  test_run: 'Test run per program type',
  feature: 'Feature probes of @progrun/syscall (cilium/ebpf rule: missing at or above the minimum fails)',
};

const tableText = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** A column header: `5.10` and, below, `5.10.223`. */
export function columnHeader(column: MatrixColumn): string {
  return column.version ? `${column.kernel} (${column.version})` : column.kernel;
}

/**
 * One cell: the observation (`EINVAL`, `ok, retval 2`), marked `✗` with the expected result when it
 * contradicts the expectation, `†` when it is a backport, `?` when inconclusive.
 */
export function renderCell(cell: MatrixCell): string {
  const seen = formatObservation(cell.observation);
  switch (cell.verdict) {
    case 'contradiction':
      return `**✗ ${seen}** (expected ${formatExpectation(cell.expectation!)})`;
    case 'backport':
      return `${seen} †`;
    case 'inconclusive':
      return `${seen} ?`;
    case 'not-run':
      return '—';
    default:
      return seen;
  }
}

/** The matrix as Markdown tables (one per probe group), kernel columns and probe rows. */
export function renderMatrixTables(matrix: KernelMatrix): string {
  const header = `| probe | ${matrix.columns.map(columnHeader).join(' | ')} |`;
  const rule = `|---|${matrix.columns.map(() => '---').join('|')}|`;
  const sections: string[] = [];
  for (const group of Object.keys(groupTitles) as ProbeGroup[]) {
    const rows = matrix.rows.filter((row) => row.group === group);
    if (rows.length === 0) continue;
    const lines = rows.map(
      (row) => `| ${tableText(row.title)} | ${row.cells.map((c) => tableText(renderCell(c))).join(' | ')} |`,
    );
    sections.push(`### ${groupTitles[group]}\n\n${header}\n${rule}\n${lines.join('\n')}`);
  }
  return sections.join('\n\n');
}

/** Footnotes: what the marks mean, and why each inconclusive or not-run cell is so. */
export function renderMatrixNotes(matrix: KernelMatrix): string {
  const notes = [
    "✗ contradicts the expectation for that kernel version (fails the matrix); † a newer kernel's behaviour brought by a stable update (accepted); ? the probe could not tell; — the kernel produced no probe report.",
  ];
  for (const row of matrix.rows) {
    for (const cell of row.cells) {
      if (cell.verdict === 'inconclusive')
        notes.push(`- ${row.title} on ${cell.kernel}: ${cell.observation?.note}`);
    }
  }
  for (const column of matrix.columns) {
    if (
      matrix.rows.some((row) => row.cells.some((c) => c.kernel === column.kernel && c.verdict === 'not-run'))
    ) {
      notes.push(`- ${column.kernel}: no probe report (${column.outcome}: ${column.reason})`);
    }
  }
  const { counts } = matrix;
  notes.push(
    '',
    `${counts.expected} as expected, ${counts.backport} backports, ${counts.contradiction} contradictions, ${counts.inconclusive} inconclusive, ${counts['not-run']} not run: ${matrix.passed ? 'PASSED' : 'FAILED'}${matrix.strict ? ' (strict)' : ''}.`,
  );
  return notes.join('\n');
}

/**
 * The kernel x probe report as Markdown: tables and notes; a sentence instead when no kernel was probed
 * (a shard that selects none).
 * @throws {ValidationError} naming an argument of the wrong kind.
 */
export function renderMatrixMarkdown(matrix: KernelMatrix): string {
  objectArgument('matrix', matrix, 'a kernel matrix (evaluateMatrix)');
  arrayArgument('matrix.columns', matrix.columns);
  arrayArgument('matrix.rows', matrix.rows);
  if (matrix.columns.length === 0) return `${noKernelProbed}\n`;
  return `${renderMatrixTables(matrix)}\n\n${renderMatrixNotes(matrix)}\n`;
}
