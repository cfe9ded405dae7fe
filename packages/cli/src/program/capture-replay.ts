import {
  type CapturedPacket,
  CaptureTruncatedError,
  diffPackets,
  firstLayerOf,
  type PacketChange,
  PcapngWriter,
  streamCaptureBatches,
} from '@progrun/ctx-builders';
import type { Program, RunEachInput, RunEachResult, RunOptions } from '@progrun/syscall';
import type { BpfProgTypeName } from '@progrun/uapi';
import { usageError } from '../cli/cli-error.js';
import { retvalName } from '../render/run-report.js';
import { captureInputs } from './capture-inputs.js';

/** What to replay and what to keep of it. */
export interface ReplayOptions {
  readonly program: Program;
  readonly typeName: BpfProgTypeName;
  /** The pcap or pcapng file. */
  readonly file: string;
  /** `--ctx`, parsed. */
  readonly ctx: unknown;
  /** The program's instructions as loaded (which helpers it calls decides the inputs' form). */
  readonly instructions: Uint8Array;
  /** `--repeat`, `--flags`, `--cpu`: the same for every packet. */
  readonly run: Pick<RunOptions, 'repeat' | 'flags' | 'cpu'>;
  /** Pool threads a batch is spread over. */
  readonly concurrency: number;
  /** `--out`: where the output packets go, each with its verdict as a pcapng comment. */
  readonly outFile?: string;
  /** How many of the packets the program changed to keep, with their field diff. */
  readonly keepChanged: number;
  /** Called for every packet, in order (`--jsonl`); only then is a record built per packet. */
  readonly onRecord?: (record: ReplayRecord) => void;
  /** Called after every batch with the packets run so far and the capture bytes they took. */
  readonly onProgress?: (packets: number, bytes: number) => void;
  readonly signal?: AbortSignal;
}

/** One packet's run, for `--jsonl`. */
export interface ReplayRecord {
  /** 1-based position in the capture. */
  readonly packet: number;
  readonly retval?: number;
  readonly verdict: string;
  readonly durationNs?: number;
  /** Whether the output packet differs from the input. */
  readonly changed: boolean;
  /** The field changes, when changed. */
  readonly changes?: readonly PacketChange[];
  /** The output packet, when changed. */
  readonly output?: Uint8Array;
  /** The run's error, for a packet the kernel refused. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** A packet the program changed, with its field diff. */
export interface ChangedPacket {
  readonly packet: number;
  readonly verdict: string;
  readonly input: Uint8Array;
  readonly output: Uint8Array;
  readonly changes: readonly PacketChange[];
}

/** What a replay found: counts, verdicts, the first changed packets, the first error. */
export interface ReplaySummary {
  readonly packets: number;
  /** Packets per verdict name (or return value, or `error CODE`), most frequent first. */
  readonly verdicts: Record<string, number>;
  /** Packets whose output differs from the input. */
  readonly changed: number;
  /** The first of them, with their diffs. */
  readonly firstChanged: readonly ChangedPacket[];
  /** Runs the kernel refused. */
  readonly errors: number;
  /** The first refusal. */
  readonly firstError?: { readonly packet: number; readonly code: string; readonly message: string };
  /** Mean kernel-measured duration of the runs, in ns. */
  readonly meanDurationNs: number;
  /** Set when the capture ends inside a record: every packet before it ran. */
  readonly truncated?: CaptureTruncatedError;
}

// Return values below this are counted in an array rather than a Map (a Map update per packet shows).
const SMALL_RETVALS = 256;

// Bytes of a record besides its data, for the progress estimate.
const RECORD_OVERHEAD = { pcap: 16, pcapng: 32 };

// A header for captures of bare IP (LINKTYPE_RAW): XDP and tc programs expect Ethernet.
function withEthernet(ip: Uint8Array): Uint8Array {
  const frame = new Uint8Array(14 + ip.length);
  frame.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1], 0);
  const ipv6 = ip[0] !== undefined && ip[0] >> 4 === 6;
  frame.set(ipv6 ? [0x86, 0xdd] : [0x08, 0x00], 12);
  frame.set(ip, 14);
  return frame;
}

function frameOf(packet: CapturedPacket, index: number, file: string): Uint8Array {
  const first = firstLayerOf(packet.linkType);
  if (first === 'eth') return packet.data;
  if (first === 'ip') return withEthernet(packet.data);
  throw usageError(
    '--pcap',
    'a capture of Ethernet or raw IP packets',
    `${file}: packet ${index + 1} has link type ${packet.linkType}, which is neither Ethernet nor raw IP`,
    'run',
  );
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * Runs the program over every packet of a capture, streamed: a chunk of the file at a time becomes one
 * batch of runs in one call per pool thread (`concurrency` threads), and the next chunk is read while a
 * batch runs. Memory holds two chunks whatever the capture's size; nothing is kept per packet but the
 * counts (and, for `--out` and `--jsonl`, what is written out as it goes).
 * @throws CliError (usage) for a packet of another link type, a bad `--ctx`; PacketError for a malformed
 *   capture; the run's errors for a batch the kernel refused as a whole (a closed program); the signal's
 *   reason when aborted
 */
export async function replayCapture(options: ReplayOptions): Promise<ReplaySummary> {
  const { program, typeName, file, signal, onRecord, onProgress } = options;
  const {
    input: toInput,
    typed,
    bare,
  } = captureInputs(typeName, options.ctx, options.run.cpu, options.instructions);
  const runOptions = {
    ...(options.run.repeat === undefined ? {} : { repeat: options.run.repeat }),
    ...(options.run.flags === undefined ? {} : { flags: options.run.flags }),
    ...(options.run.cpu === undefined || typeName === 'RAW_TRACEPOINT' ? {} : { cpu: options.run.cpu }),
    concurrency: options.concurrency,
    ...(signal === undefined ? {} : { signal }),
  };
  // Packets per return value, in the order first seen; small ones (every verdict of every program type)
  // are counted in an array and put in the Map at the end.
  const smallRetvals = new Float64Array(SMALL_RETVALS);
  const byRetval = new Map<number, number>();
  const byError = new Map<string, number>();
  const firstChanged: ChangedPacket[] = [];
  let firstError: ReplaySummary['firstError'];
  let packets = 0;
  let changed = 0;
  let errors = 0;
  let totalNs = 0;
  let bytes = 0;
  let truncated: CaptureTruncatedError | undefined;
  const names = new Map<number, string>();
  const nameOf = (retval: number) => {
    let name = names.get(retval);
    if (name === undefined) {
      name = retvalName(typeName, retval) ?? String(retval);
      names.set(retval, name);
    }
    return name;
  };
  using writer =
    options.outFile === undefined
      ? undefined
      : PcapngWriter.open(options.outFile, { application: 'progrun run' });

  const take = (batch: readonly CapturedPacket[], frames: readonly Uint8Array[], result: RunEachResult) => {
    for (let i = 0; i < frames.length; i++) {
      const index = packets + i;
      const input = frames[i]!;
      if (!result.ok(i)) {
        const error = result.error(i)!;
        const code = String(error.code);
        const key = `error ${code}`;
        byError.set(key, (byError.get(key) ?? 0) + 1);
        errors++;
        firstError ??= { packet: index + 1, code, message: error.message };
        onRecord?.({
          packet: index + 1,
          verdict: key,
          changed: false,
          error: { code, message: error.message },
        });
        continue;
      }
      const retval = result.retval(i);
      if (retval >= SMALL_RETVALS) byRetval.set(retval, (byRetval.get(retval) ?? 0) + 1);
      else if (smallRetvals[retval]!++ === 0) byRetval.set(retval, 0);
      const durationNs = result.durationNs(i);
      totalNs += durationNs;
      let output: Uint8Array | undefined;
      let differs: boolean;
      if (typed) {
        output = (result.result(i) as { packet?: Uint8Array }).packet;
        differs = output !== undefined && !sameBytes(input, output);
      } else {
        // Compared on the pool thread that ran it: the output packet is read only when it is needed.
        differs = result.dataOutChanged(i);
        output = differs || writer !== undefined ? result.dataOut(i) : undefined;
      }
      if (differs && output !== undefined) {
        changed++;
        if (firstChanged.length < options.keepChanged) {
          firstChanged.push({
            packet: index + 1,
            verdict: nameOf(retval),
            input: Uint8Array.from(input),
            output: Uint8Array.from(output),
            changes: diffPackets(input, output).changes,
          });
        }
      }
      if (writer !== undefined && output !== undefined) {
        writer.write({ data: output, timestampNs: batch[i]!.timestampNs, comments: [nameOf(retval)] });
      }
      if (onRecord !== undefined) {
        onRecord({
          packet: index + 1,
          retval,
          verdict: nameOf(retval),
          durationNs,
          changed: differs,
          ...(differs && output !== undefined ? { changes: diffPackets(input, output).changes, output } : {}),
        });
      }
    }
    packets += frames.length;
  };

  // A batch is the packets of one chunk read. Each input gets output room for its packet plus the growth
  // XDP allows (headroom and a page of tail), so 256 KiB of 50-byte packets (about 4 000) makes a 17 MiB
  // output slab per batch: bigger chunks cost memory without saving crossings that matter.
  const batches = streamCaptureBatches(file, {
    chunkBytes: 256 * 1024,
    ...(signal === undefined ? {} : { signal }),
  });
  // Packets read so far (reading runs ahead of counting: `packets`).
  let read = 0;
  const next = async () => {
    const step = await batches.next();
    if (step.done) return undefined;
    const batch = step.value;
    const first = read;
    const frames = batch.map((packet, i) => frameOf(packet, first + i, file));
    read += batch.length;
    return { batch, frames };
  };
  const start = (ready: { batch: readonly CapturedPacket[]; frames: readonly Uint8Array[] }) => {
    const inputs: readonly RunEachInput[] = bare ? ready.frames : ready.frames.map(toInput);
    const result = program.runEachAsync(inputs, runOptions);
    // Awaited later (after the next read): until then a rejection must not count as unhandled.
    result.catch(() => undefined);
    return { ...ready, result };
  };
  try {
    // One batch runs on the pool while the next is read, and while the one before it is counted: the
    // next batch starts as soon as the running one is done, before its results are taken.
    const first = await next();
    if (first === undefined) {
      throw usageError('--pcap', 'a capture with packets', `${file} holds no packets`, 'run');
    }
    const overhead = 'interfaceId' in first.batch[0]! ? RECORD_OVERHEAD.pcapng : RECORD_OVERHEAD.pcap;
    let running: ReturnType<typeof start> | undefined = start(first);
    while (running !== undefined) {
      let ready: Awaited<ReturnType<typeof next>>;
      try {
        ready = await next();
      } catch (error) {
        if (!CaptureTruncatedError.isInstance(error)) throw error;
        truncated = error;
        ready = undefined;
      }
      const current: ReturnType<typeof start> = running;
      const result = await current.result;
      running = ready === undefined ? undefined : start(ready);
      take(current.batch, current.frames, result);
      for (const frame of current.frames) bytes += frame.length + overhead;
      onProgress?.(packets, bytes);
    }
  } catch (error) {
    if (!CaptureTruncatedError.isInstance(error)) throw error;
    truncated = error;
  } finally {
    await batches.return();
  }
  for (const retval of byRetval.keys()) {
    if (retval < SMALL_RETVALS) byRetval.set(retval, smallRetvals[retval]!);
  }
  const verdicts: Record<string, number> = {};
  for (const [name, count] of [
    ...[...byRetval].map(([retval, count]) => [nameOf(retval), count] as const),
    ...byError,
  ].sort((a, b) => b[1] - a[1])) {
    verdicts[name] = (verdicts[name] ?? 0) + count;
  }
  return {
    packets,
    verdicts,
    changed,
    firstChanged,
    errors,
    ...(firstError ? { firstError } : {}),
    meanDurationNs: packets - errors > 0 ? Math.round(totalNs / (packets - errors)) : 0,
    ...(truncated ? { truncated } : {}),
  };
}
