import type { KernelRunResult } from '@progrun/harness-vm';
import type { Style } from './style.js';
import { renderTable } from './table.js';

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

/**
 * One row per kernel of a harness run: release, accelerator, outcome, exit status and the times spent
 * booting, running and in all; then one line per kernel that did not pass, saying why.
 */
export function renderKernelRuns(results: readonly KernelRunResult[], style: Style): string {
  const outcome = (result: KernelRunResult) =>
    result.outcome === 'pass' ? style.green(result.outcome) : style.red(result.outcome);
  const rows = [
    ['kernel', 'release', 'accel', 'outcome', 'exit', 'boot', 'command', 'total'].map(style.dim),
    ...results.map((result) => [
      result.kernel.name,
      'release' in result.kernel ? result.kernel.release : '?',
      result.accelerator,
      outcome(result),
      result.exitCode === undefined ? '-' : String(result.exitCode),
      seconds(result.bootMs),
      seconds(result.commandMs),
      seconds(result.totalMs),
    ]),
  ];
  const reasons = results
    .filter((result) => result.outcome !== 'pass')
    .map((result) => `${result.kernel.name}: ${result.outcome}: ${result.reason}`);
  return [
    renderTable(rows, ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right']),
    ...reasons,
  ].join('\n');
}
