import { createStyle, type Style, shouldColor } from '../render/style.js';

/**
 * Where a command writes: human text to stdout, diagnostics to stderr, or one JSON document to stdout
 * in `--json` mode. Colour follows the stream it is written to.
 */
export interface Output {
  /** True when the command was asked for `--json`. */
  readonly json: boolean;
  /** Styling for stdout. */
  readonly style: Style;
  /** Styling for stderr. */
  readonly errStyle: Style;
  /** True when stderr is a terminal (progress bars are drawn only then). */
  readonly interactive: boolean;
  /** The width of stderr in columns when it is a terminal, else 100: what redrawn lines must fit. */
  readonly errorColumns: number;
  /** Writes a line (or several) to stdout. */
  line(text?: string): void;
  /** Writes a line to stderr. */
  errorLine(text: string): void;
  /** Writes raw text to stderr, e.g. a progress bar redrawn in place. */
  errorWrite(text: string): void;
  /** Writes a value as the command's JSON document. */
  writeJson(value: unknown): void;
}

/** Writable stream, as much of it as the CLI uses. */
export interface TextStream {
  isTTY?: boolean;
  /** The terminal's width, when the stream is one. */
  columns?: number;
  write(text: string): unknown;
}

/** Builds an {@link Output} over two streams (process.stdout and process.stderr by default). */
export function createOutput(
  json: boolean,
  streams: { stdout: TextStream; stderr: TextStream } = { stdout: process.stdout, stderr: process.stderr },
  env: NodeJS.ProcessEnv = process.env,
): Output {
  const { stdout, stderr } = streams;
  return {
    json,
    style: createStyle(!json && shouldColor(stdout, env)),
    errStyle: createStyle(shouldColor(stderr, env)),
    interactive: stderr.isTTY === true,
    errorColumns: stderr.columns || 100,
    line: (text = '') => {
      stdout.write(`${text}\n`);
    },
    errorLine: (text) => {
      stderr.write(`${text}\n`);
    },
    errorWrite: (text) => {
      stderr.write(text);
    },
    writeJson: (value) => {
      stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
    },
  };
}

/** JSON for the values BPF results hold: bigints as decimal strings, byte buffers as hex. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer') {
    const data = (value as { data?: unknown }).data;
    if (Array.isArray(data)) return Buffer.from(data as number[]).toString('hex');
  }
  return value;
}
