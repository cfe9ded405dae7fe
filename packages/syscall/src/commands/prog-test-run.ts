import { native, TestRunSlot } from '../native.js';
import { MAX_OUTPUT_SIZE } from '../run-options.js';
import { bindScalars, bindView, progTestRun, slots } from '../test-run-slots.js';
import * as v from '../validate.js';
import { checkResult } from './check-result.js';

/** The fields of `union bpf_attr` BPF_PROG_TEST_RUN takes. Buffer sizes are the buffers' lengths. */
export interface ProgTestRunAttr {
  readonly progFd: number;
  /** in: the packet (data_in / data_size_in). */
  readonly dataIn?: Uint8Array;
  /** out: receives the packet after the run; its length is data_size_out (Linux 5.0+ honours it). */
  readonly dataOut?: Uint8Array;
  /** in: the context (ctx_in / ctx_size_in), Linux 5.2+. */
  readonly ctxIn?: Uint8Array;
  /** out: receives the context after the run; its length is ctx_size_out. */
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

/** Attributes of {@link bpfProgTestRunAsync}: output sizes instead of output buffers. */
export interface ProgTestRunAsyncAttr extends Omit<ProgTestRunAttr, 'dataOut' | 'ctxOut'> {
  /** Bytes to allocate for the output packet, at most 16 MiB; 0 (default) passes no data_out. */
  readonly dataSizeOut?: number;
  /** Bytes to allocate for the output context, at most 16 MiB; 0 (default) passes no ctx_out. */
  readonly ctxSizeOut?: number;
}

/** {@link ProgTestRunOutput} plus the output buffers {@link bpfProgTestRunAsync} allocated. */
export interface ProgTestRunAsyncOutput extends ProgTestRunOutput {
  readonly dataOut?: Buffer;
  readonly ctxOut?: Buffer;
  /** The copy of ctxIn after the run: SYSCALL programs' test run writes their context back there. */
  readonly ctxIn?: Buffer;
}

const COMMAND = 'BPF_PROG_TEST_RUN';

function scalars(attr: ProgTestRunAttr | ProgTestRunAsyncAttr) {
  return [
    v.optionalU32('attr.repeat', attr.repeat),
    v.optionalU32('attr.flags', attr.flags),
    v.optionalU32('attr.cpu', attr.cpu),
    v.optionalU32('attr.batchSize', attr.batchSize),
  ] as const;
}

/**
 * BPF_PROG_TEST_RUN (alias BPF_PROG_RUN), synchronously. An interrupted run (EINTR, only possible with
 * repeat > 1) is reissued; asynchronous signals are held off while it runs, then delivered.
 *
 * Minimum kernel: 4.12; ctx 5.2; flags and cpu 5.10; batchSize 5.18. Per program type, see the kernel.
 * @throws {ValidationError} for a field of the wrong type or range.
 * @throws {BpfError} with the kernel's errno: ENOSPC when an output buffer is too small, ENOTSUPP when the
 *   program type has no test run, EINVAL for fields the type rejects.
 */
export function bpfProgTestRun(attr: ProgTestRunAttr): ProgTestRunOutput {
  bindScalars(
    v.fd('attr.progFd', attr.progFd),
    v.optionalU32('attr.repeat', attr.repeat),
    v.optionalU32('attr.flags', attr.flags),
    v.optionalU32('attr.cpu', attr.cpu),
    v.optionalU32('attr.batchSize', attr.batchSize),
  );
  progTestRun(
    bindView(TestRunSlot.dataInOffset, bytes('attr.dataIn', attr.dataIn), 'attr.dataIn'),
    bindView(TestRunSlot.dataOutOffset, bytes('attr.dataOut', attr.dataOut), 'attr.dataOut'),
    bindView(TestRunSlot.ctxInOffset, bytes('attr.ctxIn', attr.ctxIn), 'attr.ctxIn'),
    bindView(TestRunSlot.ctxOutOffset, bytes('attr.ctxOut', attr.ctxOut), 'attr.ctxOut'),
  );
  const ret = slots[TestRunSlot.errno]! | 0;
  const result = {
    retval: slots[TestRunSlot.retval]!,
    duration: slots[TestRunSlot.duration]!,
    dataSizeOut: slots[TestRunSlot.dataSizeOut]!,
    ctxSizeOut: slots[TestRunSlot.ctxSizeOut]!,
    restarts: slots[TestRunSlot.restarts]!,
  };
  if (ret !== 0) {
    const hint = `the run produced ${result.dataSizeOut} bytes of data and ${result.ctxSizeOut} of context`;
    checkResult(ret, COMMAND, ret === -ENOSPC ? { hint } : undefined);
  }
  return result;
}

const ENOSPC = 28;

/** A Uint8Array (the common case, checked first), another view, or nothing. */
function bytes(field: string, value: Uint8Array | undefined): Uint8Array | null {
  if (value === undefined) return null;
  return value instanceof Uint8Array ? value : v.bytes(field, value);
}

/**
 * BPF_PROG_TEST_RUN on the libuv thread pool. The inputs are copied and the outputs are fresh buffers, so
 * the caller may reuse or drop its buffers at once; the program fd is duplicated for the call, so closing
 * it meanwhile is safe. Occupies one pool thread (UV_THREADPOOL_SIZE, default 4) while it runs.
 *
 * Minimum kernel: as {@link bpfProgTestRun}.
 * @throws {ValidationError} synchronously, for a field of the wrong type or range.
 * @throws {BpfError} (rejection) with the kernel's errno.
 */
export async function bpfProgTestRunAsync(attr: ProgTestRunAsyncAttr): Promise<ProgTestRunAsyncOutput> {
  const promise = native.progTestRunAsync(
    v.fd('attr.progFd', attr.progFd),
    v.optionalBytes('attr.dataIn', attr.dataIn) ?? null,
    v.integer('attr.dataSizeOut', attr.dataSizeOut ?? 0, 0, MAX_OUTPUT_SIZE),
    v.optionalBytes('attr.ctxIn', attr.ctxIn) ?? null,
    v.integer('attr.ctxSizeOut', attr.ctxSizeOut ?? 0, 0, MAX_OUTPUT_SIZE),
    ...scalars(attr),
    attr.ctxIn !== undefined,
  );
  const result = await promise;
  checkResult(-result.errno, COMMAND);
  const { errno: _errno, ...output } = result;
  return output;
}
