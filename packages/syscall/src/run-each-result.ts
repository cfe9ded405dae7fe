import { Buffer } from 'node:buffer';
import type { ProgrunError } from '@progrun/uapi';
import { partialTestRun } from './commands/prog-test-run.js';
import { errnoOf } from './errors/errno-names.js';
import { diagnoseTestRun } from './errors/test-run-diagnosis.js';
import {
  TestRunEachHeaderFields as HEADER_FIELDS,
  TestRunEachInputFields as IN_FIELDS,
  TestRunEachInput as In,
  TestRunEachResultFields as OUT_FIELDS,
  TestRunEachResult as Out,
} from './generated/native-calls.js';
import { type PlannedBatch, planInput, type SharedRun } from './run-each.js';
import type { RunPlan, RunResult } from './run-options.js';
import { isTestRunInput, type TestRunInput, typedRunResult } from './test-run-input.js';

const ENOSPC = errnoOf('ENOSPC');
const EMPTY = new Uint8Array(0);
const RETURN_CTX_IN = 8;

/** One input's outcome in a {@link RunEachResult}: its result, or its own error. */
export type RunEachEntry<R extends RunResult = RunResult> =
  | { readonly index: number; readonly ok: true; readonly result: R }
  | { readonly index: number; readonly ok: false; readonly error: ProgrunError };

/**
 * Where the addon put the results of inputs [start, start + count): a table (header, then a row of
 * TestRunEachResult fields per input) and the ArrayBuffer the outputs lie in.
 * @internal
 */
export interface RunEachPart {
  readonly start: number;
  readonly count: number;
  readonly table: Uint32Array;
  readonly bytes: ArrayBuffer;
}

/**
 * Inputs whose run failed with ENOSPC while their output size was automatic: {@link Program.run} would
 * grow the output and run them again, and so does the batched run, one by one. @internal
 */
export function growthReruns(
  shared: SharedRun,
  inputs: readonly unknown[],
  batch: PlannedBatch,
  parts: readonly RunEachPart[],
  offset: number,
): { index: number; plan: RunPlan }[] {
  const reruns: { index: number; plan: RunPlan }[] = [];
  for (const part of parts) {
    for (let i = 0; i < part.count; i++) {
      const at = HEADER_FIELDS + i * OUT_FIELDS;
      if ((part.table[at + Out.ret]! | 0) !== -ENOSPC) continue;
      const index = part.start + i;
      const plan = planInput(shared, inputs[index], offset + index);
      const row = index * IN_FIELDS;
      const dataSizeOut = part.table[at + Out.dataSizeOut]!;
      const ctxSizeOut = part.table[at + Out.ctxSizeOut]!;
      const dataShort = dataSizeOut > batch.rows[row + In.dataRoom]!;
      const ctxShort = ctxSizeOut > batch.rows[row + In.ctxRoom]!;
      // Grown to the size the kernel reported, as run() grows it, so the rerun fits at once.
      if (dataShort && !plan.dataSizeOutExplicit && plan.dataSizeOut > 0) {
        plan.dataSizeOut = dataSizeOut;
        reruns.push({ index, plan });
      } else if (!dataShort && ctxShort && !plan.ctxSizeOutExplicit && plan.ctxSizeOut > 0) {
        plan.ctxSizeOut = ctxSizeOut;
        reruns.push({ index, plan });
      }
    }
  }
  return reruns;
}

/**
 * The results of {@link Program.runEach} and {@link Program.runEachAsync}, one per input in input order:
 * each input's result, or its own typed error (a {@link ValidationError} for an input the run options
 * refuse, a {@link BpfError} or {@link NotSupportedError} for a run the kernel refused) without losing the
 * others'.
 *
 * Read it by index (`ok(i)`, `retval(i)`, `dataOut(i)`, `result(i)`, `error(i)`) or iterate its
 * {@link RunEachEntry} entries. The packets and contexts are views into the slab the kernel wrote them
 * to, made when first asked for (`Buffer.from(view)` makes a compact copy); the scalar accessors read
 * the results without creating any object.
 */
export class RunEachResult<R extends RunResult = RunResult> implements Iterable<RunEachEntry<R>> {
  /** Number of inputs. */
  readonly length: number;
  /**
   * Index of the first input in its stream ({@link Program.runStream}); entries and error messages count
   * from it. 0 for {@link Program.runEach}.
   */
  readonly offset: number;
  readonly #shared: SharedRun;
  readonly #inputs: readonly unknown[];
  readonly #rows: Uint32Array;
  readonly #parts: readonly RunEachPart[];
  readonly #invalid: Map<number, ProgrunError> | undefined;
  readonly #reruns: Map<number, RunResult | ProgrunError> | undefined;
  #errors: Map<number, ProgrunError> | undefined;
  #part: RunEachPart;

  /** @internal */
  constructor(
    shared: SharedRun,
    inputs: readonly unknown[],
    offset: number,
    batch: PlannedBatch,
    parts: readonly RunEachPart[],
    reruns: Map<number, RunResult | ProgrunError> | undefined,
  ) {
    this.length = batch.count;
    this.#shared = shared;
    this.#inputs = inputs;
    this.offset = offset;
    this.#rows = batch.rows;
    this.#parts = parts;
    this.#invalid = batch.invalid;
    this.#reruns = reruns;
    this.#part = parts[0] ?? {
      start: 0,
      count: 0,
      table: new Uint32Array(HEADER_FIELDS),
      bytes: new ArrayBuffer(0),
    };
  }

  /** The table index of input `index`'s result row (its part becomes the current one). */
  #at(index: number): number {
    let part = this.#part;
    if (index < part.start || index >= part.start + part.count) {
      if (!Number.isInteger(index) || index < 0 || index >= this.length) {
        throw new RangeError(`index ${index} is not in [0, ${this.length})`);
      }
      part = this.#parts.find((p) => index >= p.start && index < p.start + p.count)!;
      this.#part = part;
    }
    return HEADER_FIELDS + (index - part.start) * OUT_FIELDS;
  }

  /** Whether input `index` ran and succeeded. */
  ok(index: number): boolean {
    if (this.#invalid?.has(index)) return false;
    const rerun = this.#reruns?.get(index);
    if (rerun !== undefined) return !(rerun instanceof Error);
    const at = this.#at(index);
    return (this.#part.table[at + Out.ret]! | 0) >= 0;
  }

  /** The program's return value for input `index` (0 when it did not run; see {@link ok}). */
  retval(index: number): number {
    const rerun = this.#reruns?.get(index);
    if (rerun !== undefined) return rerun instanceof Error ? 0 : rerun.retval;
    const at = this.#at(index);
    return this.#part.table[at + Out.retval]!;
  }

  /** The kernel's mean nanoseconds per run for input `index` (0 when it did not run). */
  durationNs(index: number): number {
    const rerun = this.#reruns?.get(index);
    if (rerun !== undefined) return rerun instanceof Error ? 0 : rerun.durationNs;
    const at = this.#at(index);
    return this.#part.table[at + Out.duration]!;
  }

  /** The packet input `index`'s run left, when it returned one. */
  dataOut(index: number): Buffer | undefined {
    return this.ok(index) ? this.#raw(index).dataOut : undefined;
  }

  /**
   * Whether input `index`'s run returned a packet that differs from its input packet (in length or in a
   * byte). Compared where the run wrote it (on the pool thread for {@link Program.runEachAsync}), so
   * counting the packets a program changed makes no view per packet. False when the input did not run,
   * failed, or returned no packet (`dataSizeOut: 0`).
   */
  dataOutChanged(index: number): boolean {
    if (!this.ok(index)) return false;
    const rerun = this.#reruns?.get(index);
    if (rerun !== undefined) {
      const output = (rerun as RunResult).dataOut;
      const input = planInput(this.#shared, this.#inputs[index], this.offset + index).data;
      return output !== undefined && Buffer.compare(output, input ?? EMPTY) !== 0;
    }
    const at = this.#at(index);
    const row = index * IN_FIELDS;
    return this.#rows[row + In.dataRoom] !== 0 && this.#part.table[at + Out.dataOutSame] === 0;
  }

  /** The context input `index`'s run left, when it returned one. */
  ctxOut(index: number): Buffer | undefined {
    return this.ok(index) ? this.#raw(index).ctxOut : undefined;
  }

  /** Input `index`'s error, or undefined when it succeeded. */
  error(index: number): ProgrunError | undefined {
    const invalid = this.#invalid?.get(index);
    if (invalid !== undefined) return invalid;
    const rerun = this.#reruns?.get(index);
    if (rerun !== undefined) return rerun instanceof Error ? rerun : undefined;
    const at = this.#at(index);
    const table = this.#part.table;
    const ret = table[at + Out.ret]! | 0;
    if (ret >= 0) return undefined;
    const known = this.#errors?.get(index);
    if (known !== undefined) return known;
    const plan = planInput(this.#shared, this.#inputs[index], this.offset + index);
    const reported = { dataSizeOut: table[at + Out.dataSizeOut]!, ctxSizeOut: table[at + Out.ctxSizeOut]! };
    const bytes = this.#part.bytes;
    const copy = (offset: number) => (length: number) => Buffer.from(bytes.slice(offset, offset + length));
    const row = index * IN_FIELDS;
    const partial =
      ret === -ENOSPC
        ? partialTestRun(
            table[at + Out.retval]!,
            reported.dataSizeOut,
            this.#rows[row + In.dataRoom]!,
            copy(table[at + Out.dataOutOffset]!),
            reported.ctxSizeOut,
            this.#rows[row + In.ctxRoom]!,
            copy(table[at + Out.ctxOutOffset]!),
          )
        : undefined;
    const error = diagnoseTestRun(-ret, this.#shared.progType, plan, reported, partial);
    this.#errors ??= new Map();
    this.#errors.set(index, error);
    return error;
  }

  /**
   * Input `index`'s result, as {@link Program.run} returns it (typed inputs: with the verdict and what
   * the input decoded).
   * @throws The input's own error when it failed (see {@link error}).
   */
  result(index: number): R {
    const error = this.error(index);
    if (error !== undefined) throw error;
    const raw = this.#raw(index);
    const input = this.#inputs[index];
    return (
      isTestRunInput(input) ? typedRunResult(this.#shared.progType, input as TestRunInput<object>, raw) : raw
    ) as R;
  }

  /** Input `index`'s entry: its result or its error (`entry.index` counts from {@link offset}). */
  entry(index: number): RunEachEntry<R> {
    const error = this.error(index);
    const at = this.offset + index;
    return error === undefined
      ? { index: at, ok: true, result: this.result(index) }
      : { index: at, ok: false, error };
  }

  /** The entries in input order. */
  *[Symbol.iterator](): Iterator<RunEachEntry<R>> {
    for (let i = 0; i < this.length; i++) yield this.entry(i);
  }

  /** Input `index`'s untyped result (it succeeded). */
  #raw(index: number): RunResult {
    const rerun = this.#reruns?.get(index);
    if (rerun !== undefined) return rerun as RunResult;
    const at = this.#at(index);
    const table = this.#part.table;
    const bytes = this.#part.bytes;
    const row = index * IN_FIELDS;
    const bits = this.#rows[row + In.bits]!;
    const returnsCtx = (bits & RETURN_CTX_IN) !== 0 || this.#rows[row + In.ctxRoom]! > 0;
    return {
      retval: table[at + Out.retval]!,
      durationNs: table[at + Out.duration]!,
      syscallReturn: table[at + Out.ret]! | 0,
      dataOut:
        this.#rows[row + In.dataRoom] === 0
          ? undefined
          : Buffer.from(bytes, table[at + Out.dataOutOffset]!, table[at + Out.dataOutLength]!),
      ctxOut: returnsCtx
        ? Buffer.from(bytes, table[at + Out.ctxOutOffset]!, table[at + Out.ctxOutLength]!)
        : undefined,
    };
  }
}
