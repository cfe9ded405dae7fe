import type { KernelRunResult } from '../harness/kernel-run-result.js';

const cell = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

/** Aligns rows of cells into columns. */
export function alignColumns(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((text, column) => text.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The per-kernel summary the CLI prints after a run. */
export function renderSummaryTable(results: readonly KernelRunResult[]): string {
  const rows = [
    ['kernel', 'release', 'accel', 'outcome', 'exit', 'boot', 'command', 'total'],
    ...results.map((result) => [
      result.kernel.name,
      'release' in result.kernel ? result.kernel.release : '?',
      result.accelerator,
      result.outcome,
      result.exitCode === undefined ? '-' : String(result.exitCode),
      cell(result.bootMs),
      cell(result.commandMs),
      cell(result.totalMs),
    ]),
  ];
  const reasons = results
    .filter((result) => result.outcome !== 'pass')
    .map((result) => `${result.kernel.name}: ${result.outcome}: ${result.reason}`);
  return [alignColumns(rows), ...reasons].join('\n');
}
