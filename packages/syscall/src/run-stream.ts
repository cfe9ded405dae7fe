import { availableParallelism } from 'node:os';
import { types } from 'node:util';
import { ValidationError } from '@progrun/uapi';
import { signalOption, untilAborted } from './run-cancellation.js';
import {
  concurrencyOption,
  planBatch,
  type RunEachAsyncOptions,
  type RunEachInput,
  sharedRun,
} from './run-each.js';
import { runBatchOnPool } from './run-each-calls.js';
import type { RunEachEntry, RunEachResult } from './run-each-result.js';
import type { RunPlan, RunResult } from './run-options.js';

/** Options of {@link Program.runStream}. */
export interface RunStreamOptions extends RunEachAsyncOptions {
  /**
   * Inputs per batch: per call into the addon, each on a pool thread. Default 256. With `concurrency`
   * batches in flight, at most `concurrency * inputsPerBatch` inputs are held at once (plus the batch
   * being read).
   */
  readonly inputsPerBatch?: number;
  /**
   * Yield each batch's {@link RunEachResult} instead of one entry per input: for consumers that read
   * millions of results, where an awaited step per input costs more than the run.
   */
  readonly batches?: boolean;
}

/** Where a stream takes its inputs from. */
export type RunStreamSource<I extends RunEachInput = RunEachInput> = AsyncIterable<I> | Iterable<I>;

const DEFAULT_INPUTS_PER_BATCH = 256;

/** The next item of a sync or async iterator. */
type Pull = () => IteratorResult<unknown> | Promise<IteratorResult<unknown>>;

function sourceOf(source: unknown): { pull: Pull; close: () => unknown } {
  // A Proxy's iterator runs the caller's traps on the engine's own iteration (one around a Buffer throws
  // a TypeError from TypedArray.prototype.values), and bytes are one input, not a source of them.
  if (types.isProxy(source) || ArrayBuffer.isView(source)) {
    throw new ValidationError('source', 'an iterable or async iterable of inputs (not a Proxy or bytes)', {
      received: source,
    });
  }
  const from = source as Partial<AsyncIterable<unknown> & Iterable<unknown>> | null | undefined;
  const asyncIterator = from?.[Symbol.asyncIterator];
  const syncIterator = from?.[Symbol.iterator];
  const iterator: AsyncIterator<unknown> | Iterator<unknown> | undefined =
    typeof asyncIterator === 'function'
      ? asyncIterator.call(from)
      : typeof syncIterator === 'function'
        ? syncIterator.call(from)
        : undefined;
  if (iterator === undefined || typeof iterator !== 'object' || iterator === null) {
    throw new ValidationError('source', 'an iterable or async iterable of inputs', { received: source });
  }
  return { pull: () => iterator.next(), close: () => iterator.return?.() };
}

/**
 * {@link Program.runStream} yielding batches: pulls the source `inputsPerBatch` at a time, keeps up to
 * `concurrency` batches on the pool, and yields their results in input order. Stopping early (a `break`,
 * an abort, an error) stops the batches in flight, waits for them, and closes the source.
 * @internal
 */
export async function* runStreamBatches(
  progType: number,
  progFd: () => number,
  source: unknown,
  options: RunStreamOptions | undefined,
  rerun: (plan: RunPlan, signal: AbortSignal | undefined) => Promise<RunResult>,
): AsyncGenerator<RunEachResult<RunResult>, void, undefined> {
  let runOptions = options;
  let perBatch = DEFAULT_INPUTS_PER_BATCH;
  if (options !== undefined && typeof options === 'object' && options !== null) {
    const { inputsPerBatch, batches: _batches, ...rest } = options;
    if (inputsPerBatch !== undefined) {
      if (
        typeof inputsPerBatch !== 'number' ||
        !Number.isInteger(inputsPerBatch) ||
        inputsPerBatch < 1 ||
        inputsPerBatch > 65536
      ) {
        throw new ValidationError('options.inputsPerBatch', 'an integer in [1, 65536]', {
          received: inputsPerBatch,
        });
      }
      perBatch = inputsPerBatch;
    }
    runOptions = rest;
  }
  const shared = sharedRun(progType, runOptions);
  const signal = signalOption('options.signal', options?.signal);
  const concurrency = concurrencyOption(options?.concurrency, availableParallelism());
  const { pull, close } = sourceOf(source);
  // Aborted when the stream ends early, so the batches still on the pool stop too.
  const stop = new AbortController();
  const batchSignal = signal === undefined ? stop.signal : AbortSignal.any([signal, stop.signal]);
  const inFlight: Promise<RunEachResult<RunResult>>[] = [];
  let exhausted = false;
  let pulled = 0;

  const next = async (): Promise<IteratorResult<unknown>> => {
    const item = pull();
    return item instanceof Promise ? untilAborted(item, signal) : item;
  };
  const fill = async () => {
    while (!exhausted && inFlight.length < concurrency) {
      const inputs: unknown[] = [];
      while (inputs.length < perBatch) {
        const item = await next();
        if (item.done) {
          exhausted = true;
          break;
        }
        inputs.push(item.value);
      }
      if (inputs.length === 0) return;
      const offset = pulled;
      pulled += inputs.length;
      const pending = runBatchOnPool(
        shared,
        progFd(),
        inputs,
        offset,
        planBatch(shared, inputs, offset),
        1,
        batchSignal,
        rerun,
      );
      // Awaited in order below; rejecting meanwhile (an abort) must not count as unhandled.
      pending.catch(() => {});
      inFlight.push(pending);
    }
  };

  try {
    await fill();
    for (let head = inFlight.shift(); head !== undefined; head = inFlight.shift()) {
      await fill();
      yield await head;
    }
  } finally {
    stop.abort();
    // The batches still on the pool stop at their next input; nothing runs once the stream has ended.
    await Promise.allSettled(inFlight);
    if (!exhausted) await close();
  }
}

/** {@link Program.runStream} yielding one entry per input. @internal */
export async function* runStreamEntries(
  batches: AsyncGenerator<RunEachResult<RunResult>, void, undefined>,
): AsyncGenerator<RunEachEntry<RunResult>, void, undefined> {
  for await (const batch of batches) {
    for (let i = 0; i < batch.length; i++) yield batch.entry(i);
  }
}
