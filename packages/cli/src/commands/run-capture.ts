import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { BpfObject, Program, RunOptions } from '@progrun/syscall';
import type { BpfProgTypeName } from '@progrun/uapi';
import { ExitCode } from '../cli/exit-codes.js';
import { schemaUrl } from '../cli/json-schema.js';
import { jsonReplacer, type Output } from '../cli/output.js';
import { replayCapture } from '../program/capture-replay.js';
import type { MapEntryReport } from '../program/map-assignments.js';
import { dumpMaps } from '../program/map-dump.js';
import { renderMapDumps, renderReplay, replayToJson } from '../render/capture-report.js';
import { formatCount, formatRate, renderProgress } from '../render/progress-bar.js';
import { renderMaps } from '../render/run-summary.js';

/** Changed packets shown with their diff, in text and in the JSON summary. */
const shownChanges = 10;
/** A progress line is drawn for captures that take longer than this, redrawn at most this often. */
const progressEveryMs = 250;

/** `progrun run --pcap`: what the command parsed, and the loaded program. */
export interface CaptureRunInput {
  readonly out: Output;
  readonly signal: AbortSignal;
  readonly object: BpfObject;
  readonly program: Program;
  readonly typeName: BpfProgTypeName;
  readonly file: string;
  readonly ctx: unknown;
  /** The program's instructions as loaded. */
  readonly instructions: Uint8Array;
  readonly run: Pick<RunOptions, 'repeat' | 'flags' | 'cpu'>;
  readonly concurrency: number | undefined;
  readonly outFile: string | undefined;
  readonly jsonl: boolean;
  readonly maps: boolean;
  /** The entries `--map` set, read back after the run. */
  readonly mapEntries: () => readonly MapEntryReport[];
  /** What the JSON documents say of the program. */
  readonly programInfo: Record<string, unknown>;
  /** The program's title line for text output. */
  readonly title: string;
}

/**
 * Replays a capture through the program, streamed, and reports it: a verdict histogram, the packets the
 * program changed (the first with their diff), `--out` with each output packet marked with its verdict,
 * `--json` a summary or `--jsonl` a line per packet then the summary, `--maps` every map after the run, and
 * a progress line on a terminal. A capture cut short is reported after the packets before the cut ran,
 * exiting 2 as for any malformed capture.
 */
export async function runCapture(input: CaptureRunInput): Promise<number> {
  const { out, file } = input;
  const started = performance.now();
  const recordSchema = schemaUrl('run-capture-record');
  const size = statSize(file);
  const drawing = out.interactive && !out.json && !input.jsonl;
  let drawn = false;
  let lastDraw = started;
  const summary = await replayCapture({
    program: input.program,
    typeName: input.typeName,
    file,
    ctx: input.ctx,
    instructions: input.instructions,
    run: input.run,
    concurrency: input.concurrency ?? availableParallelism(),
    ...(input.outFile === undefined ? {} : { outFile: input.outFile }),
    keepChanged: shownChanges,
    ...(input.jsonl
      ? {
          onRecord: (record) => out.line(JSON.stringify({ $schema: recordSchema, ...record }, jsonReplacer)),
        }
      : {}),
    ...(drawing
      ? {
          onProgress: (packets, bytes) => {
            const now = performance.now();
            if (now - lastDraw < progressEveryMs) return;
            lastDraw = now;
            drawn = true;
            const rate = formatRate((packets * 1000) / (now - started));
            const text = `${formatCount(packets)} packets  ${out.errStyle.bold(rate)}`;
            out.errorWrite(`\r${renderProgress({ done: bytes, total: size, text }, out.errStyle)}\u001b[K`);
          },
        }
      : {}),
    signal: input.signal,
  });
  if (drawn) out.errorWrite('\r\u001b[K');
  const timing = { seconds: (performance.now() - started) / 1000 };
  const entries = input.mapEntries();
  const maps = input.maps ? dumpMaps(input.object) : undefined;
  if (out.json || input.jsonl) {
    const document = {
      $schema: schemaUrl('run-capture'),
      ok: summary.truncated === undefined,
      program: input.programInfo,
      ...replayToJson(file, summary, timing),
      ...(entries.length > 0 ? { maps: entries } : {}),
      ...(maps ? { objectMaps: maps } : {}),
    };
    if (input.jsonl) out.line(JSON.stringify(document, jsonReplacer));
    else out.writeJson(document);
  } else {
    out.line(input.title);
    out.line(renderReplay(file, summary, timing, out.style));
    if (entries.length > 0) out.line(renderMaps(entries, out.style));
    if (maps) out.line(renderMapDumps(maps, out.style));
    if (input.outFile !== undefined) {
      out.line(
        out.style.dim(`output packets written to ${input.outFile}, each with its verdict as a comment`),
      );
    }
  }
  if (summary.truncated) {
    out.errorLine(out.errStyle.yellow(`warning: ${file} is cut short: ${summary.truncated.message}`));
    return ExitCode.Usage;
  }
  return ExitCode.Ok;
}

function statSize(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}
