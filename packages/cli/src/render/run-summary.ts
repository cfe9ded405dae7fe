import type { MapEntryReport } from '../program/map-assignments.js';
import { type RunRecord, verdictOf } from './run-report.js';
import type { Style } from './style.js';

/** The map entries `--map` set, as they are after the run. */
export function renderMaps(maps: readonly MapEntryReport[], style: Style): string {
  const lines = maps.map(
    (entry) => `  ${entry.map}[${entry.key}] = ${entry.value ?? style.dim('(deleted)')}`,
  );
  return [style.dim('maps after the run'), ...lines].join('\n');
}

/** How many runs ended with each verdict. */
export function summarize(records: readonly RunRecord[]): { runs: number; verdicts: Record<string, number> } {
  const verdicts: Record<string, number> = {};
  for (const record of records) {
    const name = verdictOf(record);
    verdicts[name] = (verdicts[name] ?? 0) + 1;
  }
  return { runs: records.length, verdicts };
}
