import { availableParallelism } from 'node:os';
import { types } from 'node:util';
import { type ProgrunError, ValidationError } from '@progrun/uapi';
import { BpfError } from './errors/bpf-error.js';
import { errnoOf } from './errors/errno-names.js';
import {
  callProgTestRunEach,
  callProgTestRunEachAsync,
  TestRunEachHeaderFields as HEADER_FIELDS,
  TestRunEachHeader as Header,
  TestRunEachInputFields as IN_FIELDS,
  TestRunEachResultFields as OUT_FIELDS,
} from './generated/native-calls.js';
import { native } from './native.js';
import { OutputSlab } from './output-slab.js';
import { cancellable, signalOption } from './run-cancellation.js';
import {
  concurrencyOption,
  type PlannedBatch,
  planBatch,
  type RunEachAsyncOptions,
  roomOf,
  type SharedRun,
  sharedRun,
} from './run-each.js';
import { growthReruns, type RunEachPart, RunEachResult } from './run-each-result.js';
import type { RunPlan, RunResult } from './run-options.js';

const ECANCELED = errnoOf('ECANCELED');

/** Output of the synchronous batched runs of every program (one thread, one call at a time). */
const slab = new OutputSlab();
/** Smallest batch worth a pool thread of its own: a pool round trip costs about as much as 16 runs. */
const MIN_PART = 16;

/** `inputs`: an array, not a Proxy (whose length is whatever it claims). @throws {ValidationError} @internal */
export function inputsOption(inputs: unknown): readonly unknown[] {
  if (!Array.isArray(inputs) || types.isProxy(inputs))
    throw new ValidationError('inputs', 'an array of inputs (not a Proxy)', { received: inputs });
  return inputs;
}

/** Runs the ENOSPC growth reruns of a batch with `rerun` and collects their results or errors. */
function collectReruns<T>(
  reruns: { index: number; plan: RunPlan }[],
  rerun: (plan: RunPlan) => T,
): Map<number, T> | undefined {
  if (reruns.length === 0) return undefined;
  return new Map(reruns.map(({ index, plan }) => [index, rerun(plan)]));
}

/**
 * The synchronous batched run behind {@link Program.runEach}: plans the inputs, then crosses into the
 * addon once per output slab (a 64 KiB slab holds the outputs of about a thousand small packets).
 * @internal
 */
export function runEachSync(
  shared: SharedRun,
  progFd: number,
  inputs: readonly unknown[],
  rerun: (plan: RunPlan) => RunResult,
): RunEachResult<RunResult> {
  const batch = planBatch(shared, inputs);
  const parts: RunEachPart[] = [];
  let start = 0;
  while (start < batch.count) {
    slab.reserve(roomOf(batch.rows, start));
    const count = batch.count - start;
    const table = new Uint32Array(HEADER_FIELDS + count * OUT_FIELDS);
    const done = callProgTestRunEach(native.progTestRunEach, {
      progFd,
      count,
      inputs: start === 0 ? batch.rows : batch.rows.subarray(start * IN_FIELDS),
      buffers: batch.buffers,
      results: table,
      out: slab.buffer,
      outOffset: slab.offset,
    });
    parts.push({ start, count: done, table, bytes: slab.buffer });
    // The addon stops before an input whose outputs do not fit: the next reservation starts a new slab.
    slab.consume(table[Header.end]!);
    start += done;
  }
  const reruns = collectReruns(growthReruns(shared, inputs, batch, parts, 0), (plan) =>
    settle(() => rerun(plan)),
  );
  return new RunEachResult(shared, inputs, 0, batch, parts, reruns);
}

function settle(run: () => RunResult): RunResult | ProgrunError {
  try {
    return run();
  } catch (error) {
    return error as ProgrunError;
  }
}

/**
 * Runs `batch` (planned from `inputs`, the first of them input `offset` of a stream) on the libuv pool, split into at most
 * `concurrency` calls, each on its own pool thread. @internal
 */
export async function runBatchOnPool(
  shared: SharedRun,
  progFd: number,
  inputs: readonly unknown[],
  offset: number,
  batch: PlannedBatch,
  concurrency: number,
  signal: AbortSignal | undefined,
  rerun: (plan: RunPlan, signal: AbortSignal | undefined) => Promise<RunResult>,
): Promise<RunEachResult<RunResult>> {
  const calls = Math.max(1, Math.min(concurrency, Math.floor(batch.count / MIN_PART)));
  const per = Math.ceil(batch.count / calls);
  const buffers = await cancellable(signal, (cancelId) => {
    const pending: Promise<ArrayBuffer>[] = [];
    for (let start = 0; start < batch.count; start += per) {
      const count = Math.min(per, batch.count - start);
      pending.push(
        callProgTestRunEachAsync(native.progTestRunEachAsync, {
          progFd,
          count,
          inputs: batch.rows.subarray(start * IN_FIELDS, (start + count) * IN_FIELDS),
          buffers: batch.buffers,
          cancelId,
        }),
      );
    }
    return Promise.all(pending);
  });
  const parts = buffers.map((bytes, i): RunEachPart => {
    const start = i * per;
    const count = Math.min(per, batch.count - start);
    const table = new Uint32Array(bytes, 0, HEADER_FIELDS + count * OUT_FIELDS);
    // Only process.exit() (or the signal, which has rejected already) stops a call before its end.
    if (table[Header.cancelled] !== 0) throw new BpfError({ errno: ECANCELED, command: 'BPF_PROG_TEST_RUN' });
    return { start, count, table, bytes };
  });
  const reruns = growthReruns(shared, inputs, batch, parts, offset);
  const settled = collectReruns(reruns, (plan) =>
    rerun(plan, signal).then(
      (r) => r as RunResult | ProgrunError,
      (e: unknown) => e as ProgrunError,
    ),
  );
  let rerunResults: Map<number, RunResult | ProgrunError> | undefined;
  if (settled !== undefined) {
    rerunResults = new Map();
    for (const [index, result] of settled) rerunResults.set(index, await result);
  }
  return new RunEachResult(shared, inputs, offset, batch, parts, rerunResults);
}

/**
 * {@link Program.runEachAsync}: validates, plans and runs every input on the pool. @internal
 */
export function runEachOnPool(
  progType: number,
  progFd: () => number,
  inputs: unknown,
  options: RunEachAsyncOptions | undefined,
  rerun: (plan: RunPlan, signal: AbortSignal | undefined) => Promise<RunResult>,
): Promise<RunEachResult<RunResult>> {
  const list = inputsOption(inputs);
  const shared = sharedRun(progType, options);
  const signal = signalOption('options.signal', options?.signal);
  const concurrency = concurrencyOption(options?.concurrency, availableParallelism());
  const batch = planBatch(shared, list);
  return runBatchOnPool(shared, progFd(), list, 0, batch, concurrency, signal, rerun);
}
