import type { MapEntryReport } from '../program/map-assignments.js';
import { packetChanges, type RunRecord, verdictOf } from './run-report.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';

/** Per-packet lines shown for a capture before "... more". */
const shownPackets = 50;

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

/** A capture's runs: one line per packet (the first 50), then the verdicts with their shares. */
export function renderCapture(records: readonly RunRecord[], style: Style): string {
  const rows = records.slice(0, shownPackets).map((record, index) => {
    const changes = packetChanges(record);
    const changed =
      changes.length === 0 ? style.dim('unchanged') : changes.map((change) => change.path).join(', ');
    return [`#${index + 1}`, verdictOf(record), `${record.durationNs} ns`, changed];
  });
  const lines = [
    renderTable(
      [['packet', 'verdict', 'duration', 'changed fields'].map(style.dim), ...rows],
      ['left', 'left', 'right'],
    ),
  ];
  if (records.length > shownPackets)
    lines.push(style.dim(`... ${records.length - shownPackets} more (--json lists every run)`));
  const { verdicts } = summarize(records);
  lines.push('', style.bold(`${records.length} packets:`));
  lines.push(
    renderTable(
      Object.entries(verdicts)
        .sort((a, b) => b[1] - a[1])
        .map(([name, count]) => [
          `  ${name}`,
          String(count),
          `${((100 * count) / records.length).toFixed(1)}%`,
        ]),
      ['left', 'right', 'right'],
    ),
  );
  return lines.join('\n');
}
