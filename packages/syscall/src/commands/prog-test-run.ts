import { Buffer } from 'node:buffer';
import { ValidationError } from '@progrun/uapi';
import { BpfError, type PartialTestRun } from '../errors/bpf-error.js';
import { errnoOf } from '../errors/errno-names.js';
import { callProgTestRunAsync } from '../generated/native-calls.js';
import { native, TestRunSlot } from '../native.js';
import { cancellable, signalOption } from '../run-cancellation.js';
import { MAX_OUTPUT_SIZE } from '../run-options.js';
import { bindView, progTestRun, slots } from '../test-run-slots.js';
import * as v from '../validate.js';

/**
 * The fields of `union bpf_attr` BPF_PROG_TEST_RUN takes. Buffer sizes are the buffers' lengths. An
 * absent buffer passes a NULL pointer; an empty one a non-NULL pointer of size 0, which the kernel checks
 * like any other attr (it refuses ctx_in or ctx_out with size 0: EINVAL) — except dataOut, see there.
 */
export interface ProgTestRunAttr {
  readonly progFd: number;
  /** in: the packet (data_in / data_size_in). */
  readonly dataIn?: Uint8Array;
  /**
   * out: receives the packet after the run; its length is data_size_out (Linux 5.0+ honours it). An
   * empty dataOut passes none: with data_size_out 0 the kernel would copy the whole packet into it.
   */
  readonly dataOut?: Uint8Array;
  /** in: the context (ctx_in / ctx_size_in), Linux 5.2+. */
  readonly ctxIn?: Uint8Array;
  /** out: receives the context after the run; its length is ctx_size_out (Linux 5.2+). */
  readonly ctxOut?: Uint8Array;
  /** Number of runs; 0 and 1 both mean one. */
  readonly repeat?: number;
  /** BPF_F_TEST_* flags (Linux 5.10+). */
  readonly flags?: number;
  /** CPU for BPF_F_TEST_RUN_ON_CPU (Linux 5.10+). */
  readonly cpu?: number;
  /** Frames per batch in XDP live-frames mode (Linux 5.18+). */
  readonly batchSize?: number;
}

/** What BPF_PROG_TEST_RUN reports. */
export interface ProgTestRunOutput {
  /**
   * What bpf() itself returned: 0 for a run that succeeded, unless a RAW_TRACEPOINT_WRITABLE program
   * attached to the `bpf_test_finish` tracepoint replaced it (Linux 5.2+; the kernel's
   * raw_tp_writable_test_run selftest sets 42). Not the program's return value: that is `retval`.
   */
  readonly syscallReturn: number;
  /** The program's return value (of the last run). */
  readonly retval: number;
  /** Mean nanoseconds per run (per frame in live mode). */
  readonly duration: number;
  /** Bytes of packet the run produced (may exceed dataOut's length on ENOSPC). */
  readonly dataSizeOut: number;
  /** Bytes of context the run produced. */
  readonly ctxSizeOut: number;
  /** How many times the call was reissued after EINTR. */
  readonly restarts: number;
}

/** Options of {@link bpfProgTestRunAsync} that are not attr fields. */
export interface ProgTestRunAsyncOptions {
  /**
   * Stops the run: the pool thread stops at the next chunk of a long repeat (a few milliseconds), and the
   * promise then rejects with `signal.reason`.
   */
  readonly signal?: AbortSignal;
}

/** Attributes of {@link bpfProgTestRunAsync}: output sizes instead of output buffers. */
export interface ProgTestRunAsyncAttr extends Omit<ProgTestRunAttr, 'dataOut' | 'ctxOut'> {
  /**
   * Bytes to allocate for the output packet, at most 16 MiB; absent or 0 passes no data_out (with
   * data_size_out 0 the kernel would copy the whole packet).
   */
  readonly dataSizeOut?: number;
  /**
   * Bytes to allocate for the output context, at most 16 MiB; absent passes no ctx_out, 0 an empty one
   * (which the kernel refuses: EINVAL).
   */
  readonly ctxSizeOut?: number;
}

/** {@link ProgTestRunOutput} plus the output buffers {@link bpfProgTestRunAsync} allocated. */
export interface ProgTestRunAsyncOutput extends ProgTestRunOutput {
  /** Kernel calls the repeat was split into (1 unless chunked; see {@link bpfProgTestRunAsync}). */
  readonly chunks: number;
  readonly dataOut?: Buffer;
  readonly ctxOut?: Buffer;
  /** The copy of ctxIn after the run: SYSCALL programs' test run writes their context back there. */
  readonly ctxIn?: Buffer;
}

/**
 * One synchronous BPF_PROG_TEST_RUN, validated, its outputs given as byte ranges of ArrayBuffers (so a run
 * can write into a slab without a view per call). Callers keep one and refill it call after call.
 * @internal
 */
export interface TestRunFields {
  progFd: number;
  /** null: no data_in; an empty view: a non-NULL one of size 0. Must be slotable (see test-run-slots). */
  dataIn: Uint8Array | null;
  /** undefined, or a length of 0: no data_out. */
  dataOut: ArrayBuffer | undefined;
  dataOutOffset: number;
  dataOutLength: number;
  ctxIn: Uint8Array | null;
  /** undefined: no ctx_out; an ArrayBuffer with length 0: a non-NULL one of size 0. */
  ctxOut: ArrayBuffer | undefined;
  ctxOutOffset: number;
  ctxOutLength: number;
  repeat: number;
  flags: number;
  cpu: number;
  batchSize: number;
}

/** Bits of the emptyBuffers slot: which buffers of length 0 are present (non-NULL, size 0). */
const EMPTY_DATA_IN = 1;
const EMPTY_CTX_IN = 2;
const EMPTY_CTX_OUT = 4;

/** A fresh, empty {@link TestRunFields}. @internal */
export function testRunFields(): TestRunFields {
  return {
    progFd: -1,
    dataIn: null,
    dataOut: undefined,
    dataOutOffset: 0,
    dataOutLength: 0,
    ctxIn: null,
    ctxOut: undefined,
    ctxOutOffset: 0,
    ctxOutLength: 0,
    repeat: 0,
    flags: 0,
    cpu: 0,
    batchSize: 0,
  };
}

/**
 * Makes the one synchronous BPF_PROG_TEST_RUN call of the package, through the addon's slots:
 * {@link bpfProgTestRun} is this plus the validation of a caller's attr, `Program.run` this plus planning
 * (output sizing, ENOSPC growth, the output slab). Returns bpf()'s return value (-errno, or what the kernel
 * returned); the outputs stay in the slots ({@link TestRunSlot}) until the next call.
 * @throws {ValidationError} when an input view cannot be described by the slots (a SharedArrayBuffer).
 * @internal
 */
export function issueTestRun(f: TestRunFields): number {
  slots[TestRunSlot.progFd] = f.progFd;
  slots[TestRunSlot.repeat] = f.repeat;
  slots[TestRunSlot.flags] = f.flags;
  slots[TestRunSlot.cpu] = f.cpu;
  slots[TestRunSlot.batchSize] = f.batchSize;
  slots[TestRunSlot.dataOutOffset] = f.dataOutOffset;
  slots[TestRunSlot.dataOutLength] = f.dataOutLength;
  slots[TestRunSlot.ctxOutOffset] = f.ctxOutOffset;
  slots[TestRunSlot.ctxOutLength] = f.ctxOutLength;
  slots[TestRunSlot.emptyBuffers] =
    (f.dataIn !== null && f.dataIn.byteLength === 0 ? EMPTY_DATA_IN : 0) |
    (f.ctxIn !== null && f.ctxIn.byteLength === 0 ? EMPTY_CTX_IN : 0) |
    (f.ctxOut !== undefined && f.ctxOutLength === 0 ? EMPTY_CTX_OUT : 0);
  progTestRun(
    bindView(TestRunSlot.dataInOffset, f.dataIn, 'attr.dataIn'),
    f.dataOut,
    bindView(TestRunSlot.ctxInOffset, f.ctxIn, 'attr.ctxIn'),
    f.ctxOut,
  );
  return slots[TestRunSlot.ret]! | 0;
}

/**
 * What the kernel filled in before a run failed with ENOSPC, from the outputs of a run with capacities
 * `dataRoom` and `ctxRoom` (0: none) and the bytes it wrote (`dataBytes(n)`, `ctxBytes(n)`: copies of
 * the first n). The context is written only after the packet fitted (net/bpf/test_run.c), so after a
 * short packet there is none.
 * @internal
 */
export function partialTestRun(
  retval: number,
  dataSizeOut: number,
  dataRoom: number,
  dataBytes: (length: number) => Buffer,
  ctxSizeOut: number,
  ctxRoom: number,
  ctxBytes: (length: number) => Buffer,
): PartialTestRun {
  const dataShort = dataRoom > 0 && dataSizeOut > dataRoom;
  return {
    retval,
    dataSizeOut,
    ...(dataRoom > 0 ? { dataOut: dataBytes(Math.min(dataSizeOut, dataRoom)) } : {}),
    ...(!dataShort && ctxRoom > 0 ? { ctxSizeOut, ctxOut: ctxBytes(Math.min(ctxSizeOut, ctxRoom)) } : {}),
  };
}

/**
 * After a failed {@link issueTestRun}: the partial outputs when it failed with ENOSPC (copied: the
 * buffers they lie in may be reused), else undefined.
 * @internal
 */
export function partialOfIssued(ret: number, f: TestRunFields): PartialTestRun | undefined {
  if (ret !== -ENOSPC) return undefined;
  const copy = (buffer: ArrayBuffer | undefined, offset: number) => (length: number) =>
    buffer === undefined ? Buffer.alloc(0) : Buffer.from(buffer.slice(offset, offset + length));
  return partialTestRun(
    slots[TestRunSlot.retval]!,
    slots[TestRunSlot.dataSizeOut]!,
    f.dataOut === undefined ? 0 : f.dataOutLength,
    copy(f.dataOut, f.dataOutOffset),
    slots[TestRunSlot.ctxSizeOut]!,
    f.ctxOut === undefined ? 0 : f.ctxOutLength,
    copy(f.ctxOut, f.ctxOutOffset),
  );
}

/** The partial run a {@link BpfError} carries after ENOSPC, or undefined. @internal */
export function partialRunOf(error: BpfError): PartialTestRun | undefined {
  if (error.retval === undefined || error.dataSizeOut === undefined) return undefined;
  return {
    retval: error.retval,
    dataSizeOut: error.dataSizeOut,
    ...(error.dataOut === undefined ? {} : { dataOut: error.dataOut }),
    ...(error.ctxSizeOut === undefined ? {} : { ctxSizeOut: error.ctxSizeOut }),
    ...(error.ctxOut === undefined ? {} : { ctxOut: error.ctxOut }),
  };
}

const COMMAND = 'BPF_PROG_TEST_RUN';
const ENOSPC = errnoOf('ENOSPC');
/** An empty ctxOut's buffer: present, of size 0. */
const NO_BYTES = new ArrayBuffer(0);
/** The fields {@link bpfProgTestRun} fills, call after call. */
const fields = testRunFields();

/** A Uint8Array (the common case, checked first), another view, or nothing. */
function bytes(field: string, value: Uint8Array | undefined): Uint8Array | null {
  if (value === undefined) return null;
  return ArrayBuffer.isView(value) && value instanceof Uint8Array ? value : v.bytes(field, value);
}

/**
 * BPF_PROG_TEST_RUN (alias BPF_PROG_RUN), synchronously. An interrupted run (EINTR, only possible with
 * repeat > 1) is reissued; asynchronous signals are held off while it runs, then delivered.
 *
 * Minimum kernel: 4.12; ctx 5.2; flags and cpu 5.10; batchSize 5.18. Per program type, see the kernel.
 * @throws {ValidationError} for a field of the wrong type or range.
 * @throws {BpfError} with the kernel's errno: ENOSPC when an output buffer is too small (the error then
 *   carries `retval`, `dataSizeOut` and the partial `dataOut`, or `ctxSizeOut` and the partial `ctxOut`,
 *   as the kernel filled them), ENOTSUPP when the program type has no test run, EINVAL for fields the
 *   type rejects.
 */
export function bpfProgTestRun(attr: ProgTestRunAttr): ProgTestRunOutput {
  v.attr('attr', attr);
  const f = fields;
  f.progFd = v.fd('attr.progFd', attr.progFd);
  f.repeat = v.optionalU32('attr.repeat', attr.repeat);
  f.flags = v.optionalU32('attr.flags', attr.flags);
  f.cpu = v.optionalU32('attr.cpu', attr.cpu);
  f.batchSize = v.optionalU32('attr.batchSize', attr.batchSize);
  f.dataIn = bytes('attr.dataIn', attr.dataIn);
  f.ctxIn = bytes('attr.ctxIn', attr.ctxIn);
  const dataOut = bytes('attr.dataOut', attr.dataOut);
  f.dataOut = bindView(TestRunSlot.dataOutOffset, dataOut, 'attr.dataOut');
  f.dataOutOffset = dataOut?.byteOffset ?? 0;
  f.dataOutLength = dataOut?.byteLength ?? 0;
  const ctxOut = bytes('attr.ctxOut', attr.ctxOut);
  f.ctxOut =
    ctxOut !== null && ctxOut.byteLength === 0
      ? NO_BYTES
      : bindView(TestRunSlot.ctxOutOffset, ctxOut, 'attr.ctxOut');
  f.ctxOutOffset = ctxOut?.byteOffset ?? 0;
  f.ctxOutLength = ctxOut?.byteLength ?? 0;
  const ret = issueTestRun(f);
  const result: ProgTestRunOutput = {
    syscallReturn: ret,
    retval: slots[TestRunSlot.retval]!,
    duration: slots[TestRunSlot.duration]!,
    dataSizeOut: slots[TestRunSlot.dataSizeOut]!,
    ctxSizeOut: slots[TestRunSlot.ctxSizeOut]!,
    restarts: slots[TestRunSlot.restarts]!,
  };
  if (ret < 0) {
    const partialRun = partialOfIssued(ret, f);
    const hint =
      partialRun === undefined
        ? undefined
        : `the run produced ${result.dataSizeOut} bytes of data and ${result.ctxSizeOut} of context`;
    throw new BpfError({ errno: -ret, command: COMMAND, ...(hint ? { hint, partialRun } : {}) });
  }
  return result;
}

/**
 * BPF_PROG_TEST_RUN on the libuv thread pool. The inputs are copied and the outputs are fresh buffers, so
 * the caller may reuse or drop its buffers at once; the program fd is duplicated for the call, so closing
 * it meanwhile is safe. Occupies one pool thread (UV_THREADPOOL_SIZE, default 4) while it runs.
 *
 * A long repeat is issued as several kernel calls ("chunks") of a few milliseconds each, sized from the
 * kernel's measured time per run, so that `options.signal` and `process.exit()` stop it within one
 * chunk. `duration` is then recombined from the chunks: the kernel floors each chunk's mean to whole
 * nanoseconds, so the mean is the unchunked call's or one nanosecond below it. Every chunk starts again
 * from the input packet and context (as every call does): the outputs are those of the last chunk's last
 * run, the same as unchunked for a program whose output does not depend on what earlier runs left in
 * the packet. An XDP program not attached anywhere pays two RCU grace periods per call with repeat > 1
 * (tens of milliseconds); its chunks grow so that this stays a quarter of the time, and an abort then
 * lands within about 100 ms.
 *
 * Minimum kernel: as {@link bpfProgTestRun}.
 * @throws {ValidationError} synchronously, for a field of the wrong type or range.
 * @throws {BpfError} (rejection) with the kernel's errno; after ENOSPC with the partial run, as
 *   {@link bpfProgTestRun}.
 * @throws `options.signal.reason` (rejection) when the signal aborts.
 */
export async function bpfProgTestRunAsync(
  attr: ProgTestRunAsyncAttr,
  options?: ProgTestRunAsyncOptions,
): Promise<ProgTestRunAsyncOutput> {
  v.attr('attr', attr);
  const dataOutSize = v.integer('attr.dataSizeOut', attr.dataSizeOut ?? 0, 0, MAX_OUTPUT_SIZE);
  const ctxOutSize =
    attr.ctxSizeOut === undefined ? -1 : v.integer('attr.ctxSizeOut', attr.ctxSizeOut, 0, MAX_OUTPUT_SIZE);
  const args = {
    progFd: v.fd('attr.progFd', attr.progFd),
    dataIn: v.optionalBytes('attr.dataIn', attr.dataIn) ?? null,
    dataOutSize,
    ctxIn: v.optionalBytes('attr.ctxIn', attr.ctxIn) ?? null,
    ctxOutSize,
    repeat: v.optionalU32('attr.repeat', attr.repeat),
    flags: v.optionalU32('attr.flags', attr.flags),
    cpu: v.optionalU32('attr.cpu', attr.cpu),
    batchSize: v.optionalU32('attr.batchSize', attr.batchSize),
    returnCtxIn: attr.ctxIn !== undefined,
  };
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new ValidationError('options', 'an options object', { received: options });
  }
  const signal = signalOption('options.signal', options?.signal);
  const promise = cancellable(signal, (cancelId) =>
    callProgTestRunAsync(native.progTestRunAsync, { ...args, cancelId }),
  );
  const { ret, ...output } = await promise;
  if (ret < 0) {
    const partialRun =
      ret === -ENOSPC
        ? partialTestRun(
            output.retval,
            output.dataSizeOut,
            dataOutSize,
            (length) => output.dataOut!.subarray(0, length),
            output.ctxSizeOut,
            Math.max(ctxOutSize, 0),
            (length) => output.ctxOut!.subarray(0, length),
          )
        : undefined;
    throw new BpfError({ errno: -ret, command: COMMAND, ...(partialRun ? { partialRun } : {}) });
  }
  return { syscallReturn: ret, ...output };
}
