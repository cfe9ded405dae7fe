/** Text styling that is a no-op when colour is off. */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  magenta(text: string): string;
  cyan(text: string): string;
  /** Reverse video, for the one line that matters (the failing verifier instruction). */
  inverse(text: string): string;
}

function sgr(open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

/** A {@link Style} that colours when `enabled`, and returns text unchanged otherwise. */
export function createStyle(enabled: boolean): Style {
  const plain = (text: string) => text;
  const pick = (open: number, close: number) => (enabled ? sgr(open, close) : plain);
  return {
    enabled,
    bold: pick(1, 22),
    dim: pick(2, 22),
    red: pick(31, 39),
    green: pick(32, 39),
    yellow: pick(33, 39),
    blue: pick(34, 39),
    magenta: pick(35, 39),
    cyan: pick(36, 39),
    inverse: pick(7, 27),
  };
}

/**
 * Whether to colour output written to a stream: never when `NO_COLOR` is set (no-color.org), always
 * when `FORCE_COLOR` is set to anything but `0`, otherwise only on a terminal that is not `dumb`.
 */
export function shouldColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point
const ansiPattern = /\u001b\[[0-9;]*m/g;

/** The printed width of text that may contain colour codes. */
export function visibleLength(text: string): number {
  return text.replace(ansiPattern, '').length;
}
