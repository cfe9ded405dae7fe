import { Buffer } from 'node:buffer';
import { types } from 'node:util';
import { type ProgrunError, ValidationError, XDP_PACKET_HEADROOM } from '@progrun/uapi';
import { TestRunEachInputFields as IN_FIELDS, TestRunEachInput as In } from './generated/native-calls.js';
import { planRun, type RunOptions, type RunPlan } from './run-options.js';
import {
  isTestRunInput,
  type TestRunInput,
  type TypedRunOptions,
  typedRunOptions,
} from './test-run-input.js';
import { DATA_OUT_PROG_TYPES } from './test-run-support.js';
import { U32_MAX } from './validate.js';

const { isUint8Array } = types;

/**
 * One input of {@link Program.runEach}: what {@link Program.run} accepts (run options with `data` and
 * `ctx`, or a typed input from a context builder such as `xdpMd({ packet })`), or a bare packet, which
 * reads as `{ data: packet }`.
 */
export type RunEachInput = Uint8Array | RunOptions | TestRunInput<object>;

/**
 * Options of {@link Program.runEach}: the run options every input shares (`repeat`, `flags`, `cpu`,
 * output sizes, ...; not `data` or `ctx`, which each input gives). A plain-options input's own fields win
 * over these; a typed input merges them as {@link Program.run} does (its flags or-ed with these).
 */
export type RunEachOptions = TypedRunOptions;

/** Options of {@link Program.runEachAsync}. */
export interface RunEachAsyncOptions extends RunEachOptions {
  /**
   * Stops the call: the pool threads stop at their next input or chunk of a long repeat (a few
   * milliseconds), and the promise then rejects with `signal.reason`.
   */
  readonly signal?: AbortSignal;
  /**
   * Batches to spread the inputs over, each a call on its own libuv pool thread (test runs of one program
   * on different threads run on different CPUs). Default `os.availableParallelism()`; batches hold at
   * least 16 inputs. At most the pool's size (UV_THREADPOOL_SIZE, default 4) run at once.
   */
  readonly concurrency?: number;
}

/** Keys of {@link RunEachAsyncOptions} that are not run options. */
export const ASYNC_ONLY_KEYS = ['signal', 'concurrency'] as const;

/** Bits of the bits field (generator/native-calls.ts, TestRunEachInput). */
const EMPTY_DATA_IN = 1;
const EMPTY_CTX_IN = 2;
const RETURN_CTX_IN = 8;
const SKIP = 16;
const NO_BUFFER = U32_MAX;
/** Tail room the default output allows for, as {@link planRun}: a page. */
const TAIL_GROWTH = 4096;

/**
 * The inputs of one batch as the addon takes them: a row of {@link In} fields per input, the ArrayBuffers
 * the rows name, and what the rows cannot say (which inputs failed validation, which are typed).
 * @internal
 */
export interface PlannedBatch {
  readonly count: number;
  readonly rows: Uint32Array;
  readonly buffers: ArrayBuffer[];
  /** Inputs that failed validation, by index in the batch: they are not run. */
  readonly invalid: Map<number, ProgrunError> | undefined;
  /** Whether any input is typed (its results are decoded). */
  readonly typed: boolean;
}

/**
 * The shared options of a batch, validated once: their plan (a run without data or ctx), and the
 * options themselves to merge into inputs that need a full plan.
 * @internal
 */
export interface SharedRun {
  readonly progType: number;
  readonly options: TypedRunOptions | undefined;
  readonly plan: RunPlan;
}

/**
 * Validates the shared options of a batch (as {@link planRun} does a run's, with `data`/`ctx` refused and
 * the async-only keys left out). @throws {ValidationError} naming `options.<field>`.
 * @internal
 */
export function sharedRun(progType: number, options: RunEachAsyncOptions | undefined): SharedRun {
  if (options === undefined) return { progType, options: undefined, plan: planRun(progType, undefined) };
  if (typeof options !== 'object' || options === null || ArrayBuffer.isView(options)) {
    throw new ValidationError('options', 'an options object', { received: options });
  }
  let runOptions: Record<string, unknown> = options as Record<string, unknown>;
  if ('signal' in options || 'concurrency' in options) {
    const { signal: _signal, concurrency: _concurrency, ...rest } = options;
    runOptions = rest;
  }
  for (const key of ['data', 'ctx']) {
    if (runOptions[key] !== undefined) {
      throw new ValidationError(`options.${key}`, `absent: each input gives its own ${key}`);
    }
  }
  const shared = runOptions as TypedRunOptions;
  return { progType, options: shared, plan: planRun(progType, shared) };
}

/**
 * The full plan of input `index` (as {@link Program.run} makes it), with validation errors naming
 * `inputs[index]`. @throws {ValidationError}
 * @internal
 */
export function planInput(shared: SharedRun, input: unknown, index: number): RunPlan {
  try {
    if (input instanceof Uint8Array) return planRun(shared.progType, { ...shared.options, data: input });
    if (isTestRunInput(input)) return planRun(shared.progType, typedRunOptions(input, shared.options));
    if (typeof input !== 'object' || input === null || ArrayBuffer.isView(input)) {
      throw new ValidationError('options', 'a Uint8Array, run options or a typed input (xdpMd(...), ...)', {
        received: input,
      });
    }
    return planRun(
      shared.progType,
      shared.options === undefined ? (input as RunOptions) : { ...shared.options, ...(input as RunOptions) },
    );
  } catch (error) {
    if (!ValidationError.isInstance(error)) throw error;
    const field = `inputs[${index}]${error.field.startsWith('options') ? error.field.slice('options'.length) : `.${error.field}`}`;
    throw new ValidationError(field, error.rule, {
      cause: error,
      ...(error.minKernel === undefined ? {} : { minKernel: error.minKernel }),
      ...(error.kernelCode === undefined ? {} : { kernelCode: error.kernelCode }),
    });
  }
}

/** Whether `input` is `{ data }` alone, with a Uint8Array: the common case, planned without a RunPlan. */
function isDataOnly(input: object): input is { readonly data: Uint8Array } {
  if (!isUint8Array((input as RunOptions).data)) return false;
  let keys = 0;
  for (const _ in input) keys++;
  return keys === 1;
}

/**
 * Plans `inputs` into the rows of a batch (`offset`: the index of its first input in a stream, for
 * error messages). Each input is validated as
 * {@link Program.run} validates its options; one that fails is recorded (and skipped by the addon), not
 * thrown. Bare packets and `{ data }` inputs take a lean path that writes their row directly.
 * @throws {ValidationError} when `inputs` is not an array.
 * @internal
 */
export function planBatch(shared: SharedRun, inputs: readonly unknown[], offset = 0): PlannedBatch {
  const count = inputs.length;
  const rows = new Uint32Array(count * IN_FIELDS);
  const buffers: ArrayBuffer[] = [];
  let invalid: Map<number, ProgrunError> | undefined;
  let typed = false;
  let lastBuffer: ArrayBuffer | undefined;
  // The shared options carry no data or ctx: their plan is every lean input's but for the data.
  const base = shared.plan;
  const autoData = !base.dataSizeOutExplicit && DATA_OUT_PROG_TYPES[shared.progType] === 1;
  const bufferIndex = (view: Uint8Array): number => {
    const buffer = view.buffer as ArrayBuffer;
    if (buffer !== lastBuffer) {
      lastBuffer = buffer;
      buffers.push(buffer);
    }
    return buffers.length - 1;
  };
  for (let i = 0; i < count; i++) {
    const input = inputs[i];
    const at = i * IN_FIELDS;
    let data: Uint8Array | undefined;
    // isUint8Array reads the internal slot: a Proxy around a Buffer passes instanceof, and its getters
    // throw (such an input goes to planInput, which refuses it with a typed error).
    if (isUint8Array(input)) data = input;
    else if (typeof input === 'object' && input !== null && isDataOnly(input)) data = input.data;
    if (data !== undefined) {
      // As slotable() and bufferIndex(), reading the view's buffer once (each read is a call into the
      // engine) and checking what it is only when it changes.
      const length = data.byteLength;
      let offset = data.byteOffset;
      let index = NO_BUFFER;
      if (length > 0) {
        let buffer = data.buffer;
        if (buffer !== lastBuffer || offset + length > U32_MAX) {
          if (!(buffer instanceof ArrayBuffer) || offset + length > U32_MAX) {
            data = Buffer.from(data);
            buffer = data.buffer;
            offset = data.byteOffset;
          }
          if (buffer !== lastBuffer) {
            lastBuffer = buffer as ArrayBuffer;
            buffers.push(lastBuffer);
          }
        }
        index = buffers.length - 1;
      }
      rows[at + In.dataBuffer] = index;
      rows[at + In.dataOffset] = offset;
      rows[at + In.dataLength] = length;
      rows[at + In.ctxBuffer] = NO_BUFFER;
      rows[at + In.dataRoom] = autoData ? length + XDP_PACKET_HEADROOM + TAIL_GROWTH : base.dataSizeOut;
      rows[at + In.ctxRoom] = base.ctxSizeOut;
      rows[at + In.bits] = length === 0 ? EMPTY_DATA_IN : 0;
      rows[at + In.repeat] = base.repeat;
      rows[at + In.flags] = base.flags;
      rows[at + In.cpu] = base.cpu;
      rows[at + In.batchSize] = base.batchSize;
      continue;
    }
    let plan: RunPlan;
    try {
      plan = planInput(shared, input, offset + i);
    } catch (error) {
      if (!ValidationError.isInstance(error)) throw error;
      invalid ??= new Map();
      invalid.set(i, error);
      rows[at + In.bits] = SKIP;
      continue;
    }
    if (isTestRunInput(input)) typed = true;
    writeRow(rows, at, plan, bufferIndex);
  }
  return { count, rows, buffers, invalid, typed };
}

/**
 * Writes `plan` as the row at `at` of `rows`; `bufferIndex` names the ArrayBuffer of a view (an index
 * into the call's `buffers`). @internal
 */
export function writeRow(
  rows: Uint32Array,
  at: number,
  plan: RunPlan,
  bufferIndex: (view: Uint8Array) => number,
): void {
  const data = plan.data;
  const ctx = plan.ctx;
  let bits = 0;
  if (data === null) rows[at + In.dataBuffer] = NO_BUFFER;
  else {
    rows[at + In.dataBuffer] = data.byteLength === 0 ? NO_BUFFER : bufferIndex(data);
    rows[at + In.dataOffset] = data.byteOffset;
    rows[at + In.dataLength] = data.byteLength;
    if (data.byteLength === 0) bits |= EMPTY_DATA_IN;
  }
  if (ctx === null) rows[at + In.ctxBuffer] = NO_BUFFER;
  else {
    rows[at + In.ctxBuffer] = ctx.byteLength === 0 ? NO_BUFFER : bufferIndex(ctx);
    rows[at + In.ctxOffset] = ctx.byteOffset;
    rows[at + In.ctxLength] = ctx.byteLength;
    if (ctx.byteLength === 0) bits |= EMPTY_CTX_IN;
  }
  if (plan.ctxWrittenBack) bits |= RETURN_CTX_IN;
  rows[at + In.dataRoom] = plan.dataSizeOut;
  rows[at + In.ctxRoom] = plan.ctxSizeOut;
  rows[at + In.bits] = bits;
  rows[at + In.repeat] = plan.repeat;
  rows[at + In.flags] = plan.flags;
  rows[at + In.cpu] = plan.cpu;
  rows[at + In.batchSize] = plan.batchSize;
}

/** The output room a planned input needs in an output slab (as the addon packs it). @internal */
export function roomOf(rows: Uint32Array, index: number): number {
  const at = index * IN_FIELDS;
  const ctxRoom =
    (rows[at + In.bits]! & RETURN_CTX_IN) !== 0 ? rows[at + In.ctxLength]! : rows[at + In.ctxRoom]!;
  return ((rows[at + In.dataRoom]! + 7) & ~7) + ctxRoom;
}

/** `concurrency`: a positive integer, default the CPUs available. @throws {ValidationError} @internal */
export function concurrencyOption(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1024) {
    throw new ValidationError('options.concurrency', 'an integer in [1, 1024]', { received: value });
  }
  return value;
}
