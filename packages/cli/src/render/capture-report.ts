import { diffPackets } from '@progrun/ctx-builders';
import type { ReplaySummary } from '../program/capture-replay.js';
import type { MapDump } from '../program/map-dump.js';
import { formatCount, formatRate } from './progress-bar.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';

/** How long the replay took, for the report's rate. */
export interface ReplayTiming {
  readonly seconds: number;
}

/**
 * A capture's replay for people: how many packets in how long, the verdicts with their shares, how many
 * the program changed and the field diff of the first of them, the first refused run, and a truncated
 * capture's warning.
 */
export function renderReplay(
  file: string,
  summary: ReplaySummary,
  timing: ReplayTiming,
  style: Style,
): string {
  const { packets } = summary;
  const rate = timing.seconds > 0 ? `, ${formatRate(packets / timing.seconds)}` : '';
  const lines = [
    style.bold(`${formatCount(packets)} packets`) +
      ` from ${file} in ${timing.seconds.toFixed(2)} s${rate}` +
      style.dim(`, mean ${formatCount(summary.meanDurationNs)} ns per run in the kernel`),
    renderTable(
      Object.entries(summary.verdicts).map(([name, count]) => [
        `  ${name}`,
        formatCount(count),
        `${((100 * count) / Math.max(packets, 1)).toFixed(1)}%`,
      ]),
      ['left', 'right', 'right'],
    ),
  ];
  if (summary.changed === 0) {
    lines.push(style.dim('no packet was changed by the program'));
  } else {
    const shown = summary.firstChanged.length;
    lines.push(
      `${formatCount(summary.changed)} packets changed by the program` +
        (shown < summary.changed ? style.dim(` (the first ${shown}:)`) : ':'),
    );
    for (const change of summary.firstChanged) {
      const diff = diffPackets(change.input, change.output).lines();
      lines.push(`  #${change.packet} ${style.bold(change.verdict)}`);
      for (const line of diff) lines.push(`    ${line}`);
    }
  }
  if (summary.firstError) {
    const { packet, code, message } = summary.firstError;
    lines.push(
      style.red(
        `${formatCount(summary.errors)} runs refused; the first, packet #${packet}: ${code} ${message}`,
      ),
    );
  }
  return lines.join('\n');
}

/** Every map of the object after the run (`--maps`). */
export function renderMapDumps(maps: readonly MapDump[], style: Style): string {
  const lines = [style.dim('maps after the run')];
  for (const map of maps) {
    const title = `  ${style.bold(map.map)} ${style.dim(map.type)}`;
    if (map.unreadable !== undefined) {
      lines.push(`${title} ${style.dim(`(not readable: ${map.unreadable})`)}`);
      continue;
    }
    lines.push(map.entries.length === 0 ? `${title} ${style.dim('(empty)')}` : title);
    for (const { key, value } of map.entries) lines.push(`    [${key}] = ${value}`);
    if (map.more > 0) lines.push(style.dim(`    ... ${formatCount(map.more)} more`));
  }
  return lines.join('\n');
}

/** The summary as JSON: counts, verdicts, the first changed packets and error, the truncation. */
export function replayToJson(
  file: string,
  summary: ReplaySummary,
  timing: ReplayTiming,
): Record<string, unknown> {
  const { truncated } = summary;
  return {
    capture: {
      file,
      packets: summary.packets,
      seconds: timing.seconds,
      ...(truncated
        ? {
            truncated: {
              offset: truncated.offset,
              presentBytes: truncated.presentBytes,
              ...(truncated.recordBytes === undefined ? {} : { recordBytes: truncated.recordBytes }),
              message: truncated.message,
            },
          }
        : {}),
    },
    summary: {
      runs: summary.packets,
      verdicts: summary.verdicts,
      changed: summary.changed,
      errors: summary.errors,
      meanDurationNs: summary.meanDurationNs,
    },
    changes: summary.firstChanged.map((change) => ({
      packet: change.packet,
      verdict: change.verdict,
      input: change.input,
      output: change.output,
      changes: change.changes,
    })),
    ...(summary.firstError ? { firstError: summary.firstError } : {}),
  };
}
