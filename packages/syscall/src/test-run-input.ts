import { formatKernelVersion, runningKernel, ValidationError, verdictName } from '@progrun/uapi';
import type { RunOptions, RunResult } from './run-options.js';

/**
 * A typed test-run input, in the spirit of cilium/ebpf's `Context`/`ContextOut`: the bytes for data_in and
 * ctx_in, the run options the input itself needs, and how to read the run's outputs back. The protocol is
 * structural: every context builder of @progrun/ctx-builders returns an object of this shape (`xdpMd()`,
 * `skBuff()`, `flowKeys()`, ...), and so can any object of the caller's, without this package depending on
 * them. Pass it to {@link Program.run} or {@link Program.runAsync}.
 */
export interface TestRunInput<Out extends object> {
  /** in: data_in (the packet, any XDP metadata in front of it). */
  readonly dataIn?: Uint8Array;
  /** in: ctx_in (the context struct). */
  readonly ctxIn?: Uint8Array;
  /** BPF_F_TEST_* flags the input needs (live frames, run on CPU); or-ed with the caller's. */
  readonly flags?: number;
  /** CPU the input asks to run on (with BPF_F_TEST_RUN_ON_CPU in `flags`). */
  readonly cpu?: number;
  /** Output capacity the input requires, when it must not be the default (0: XDP live frames with a ctx). */
  readonly dataSizeOut?: number;
  /** Context capacity the input requires, as `dataSizeOut`. */
  readonly ctxSizeOut?: number;
  /**
   * Reads what the run returned (the packet, the context) as the input's type has it: called once per
   * run with its raw result.
   */
  decode(result: RunResult): Out;
}

/** Options of a typed run: those of {@link RunOptions} but the data and context, which the input gives. */
export type TypedRunOptions = Omit<RunOptions, 'data' | 'ctx'>;

/**
 * What a typed run returns: the raw result (`retval`, `durationNs`, `dataOut`, `ctxOut`), the return value by
 * name for the program's type (`'XDP_TX'`, `'TC_ACT_OK'`; undefined where it is a plain number), and what
 * the input decoded (`packet`, `metadata`, `ctx`, ...).
 */
export type TypedRunResult<Out extends object> = RunResult & {
  /**
   * The return value by name (@progrun/uapi's `verdictName` for the program's type), read as the running
   * kernel reports it: a FLOW_DISSECTOR run before 6.1 answers only whether the program said BPF_OK
   * (`'BPF_OK'`, or `'not BPF_OK'` for BPF_DROP and the rest); `retval` stays the kernel's number.
   */
  readonly verdict: string | undefined;
} & Out;

/** Whether `input` is a typed input rather than plain {@link RunOptions} (it has a `decode` method). @internal */
export function isTestRunInput(input: unknown): input is TestRunInput<object> {
  return typeof (input as { decode?: unknown } | undefined)?.decode === 'function';
}

/**
 * The plain options of a typed run: the input's bytes and needs, then the caller's options (which win,
 * except flags, which are or-ed).
 * @throws {ValidationError} when the options repeat `data` or `ctx`, or are not an object.
 * @internal
 */
export function typedRunOptions(
  input: TestRunInput<object>,
  options: TypedRunOptions | undefined,
): RunOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new ValidationError('options', 'an options object', { received: options });
  }
  const merged: { -readonly [K in keyof RunOptions]: RunOptions[K] } = {};
  if (input.dataIn !== undefined) merged.data = input.dataIn;
  if (input.ctxIn !== undefined) merged.ctx = input.ctxIn;
  if (input.dataSizeOut !== undefined) merged.dataSizeOut = input.dataSizeOut;
  if (input.ctxSizeOut !== undefined) merged.ctxSizeOut = input.ctxSizeOut;
  if (input.cpu !== undefined) merged.cpu = input.cpu;
  if (input.flags !== undefined) merged.flags = input.flags;
  for (const key in options) {
    if (key === 'data' || key === 'ctx') {
      throw new ValidationError(
        `options.${key}`,
        `absent: the typed input gives ${key === 'data' ? 'data_in' : 'ctx_in'}`,
      );
    }
    (merged as Record<string, unknown>)[key] = (options as Record<string, unknown>)[key];
  }
  const flags = options?.flags;
  if (input.flags !== undefined && typeof flags === 'number') merged.flags = (input.flags | flags) >>> 0;
  return merged;
}

let runningRelease: string | undefined | null = null;

/** The running kernel as `verdictName` takes it; undefined (the newest conventions) when uname does not parse. */
function kernelForVerdicts(): string | undefined {
  if (runningRelease === null) {
    const running = runningKernel();
    runningRelease = running === undefined ? undefined : formatKernelVersion(running);
  }
  return runningRelease;
}

/** The typed result of a run: the raw fields, the verdict by name and what the input decoded. @internal */
export function typedRunResult<Out extends object>(
  progType: number,
  input: TestRunInput<Out>,
  result: RunResult,
): TypedRunResult<Out> {
  const verdict = verdictName(progType, result.retval, kernelForVerdicts());
  return { ...result, verdict, ...input.decode(result) };
}
