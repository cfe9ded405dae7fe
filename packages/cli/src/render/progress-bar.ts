import type { Style } from './style.js';

/** Numbers with thousands separators: 1,000,000. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A rate in packets per second, scaled: `5.61 Mpps`, `830 kpps`, `12 pps`. */
export function formatRate(pps: number): string {
  if (pps >= 1e6) return `${(pps / 1e6).toFixed(2)} Mpps`;
  if (pps >= 1e3) return `${(pps / 1e3).toFixed(1)} kpps`;
  return `${Math.round(pps)} pps`;
}

/** What one frame of the progress bar shows. */
export interface ProgressFrame {
  readonly done: number;
  /** The goal in the same unit, when known (a count or a duration); undefined draws no bar. */
  readonly total: number | undefined;
  /** The text after the bar: counts, rates. */
  readonly text: string;
}

const barWidth = 28;

/**
 * One line of progress: `[##########..........]  36%  ` followed by the frame's text. Redrawn in place
 * with a carriage return on a terminal.
 */
export function renderProgress(frame: ProgressFrame, style: Style): string {
  if (frame.total === undefined || frame.total <= 0) return frame.text;
  const ratio = Math.min(1, Math.max(0, frame.done / frame.total));
  const filled = Math.round(ratio * barWidth);
  const bar = style.cyan('#'.repeat(filled)) + style.dim('.'.repeat(barWidth - filled));
  return `[${bar}] ${`${Math.floor(ratio * 100)}%`.padStart(4)}  ${frame.text}`;
}
