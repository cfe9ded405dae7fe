import {
  BpfProgType as ProgType,
  type BpfProgTypeName as ProgTypeName,
  ValidationError,
} from '@progrun/uapi';
import { bpfGetFdById } from './commands/obj-by-id.js';
import { bpfObjGet, bpfObjPin } from './commands/obj-pin.js';
import { issueTestRun, partialOfIssued, partialTestRun, testRunFields } from './commands/prog-test-run.js';
import { progTypeName } from './enum-names.js';
import { type AttachTypeInput, attachTypeValue, enumValue } from './enum-value.js';
import { BpfError } from './errors/bpf-error.js';
import { errnoOf } from './errors/errno-names.js';
import { diagnoseTestRun } from './errors/test-run-diagnosis.js';
import { FdOwner } from './fd.js';
import { requireFdKind } from './fd-kind.js';
import {
  callProgTestRunEachAsync,
  TestRunEachHeaderFields as EACH_HEADER_FIELDS,
  TestRunEachInputFields as EACH_INPUT_FIELDS,
  TestRunEachResultFields as EACH_RESULT_FIELDS,
  TestRunEachHeader as EachHeader,
  TestRunEachResult as EachResult,
} from './generated/native-calls.js';
import { native, TestRunSlot } from './native.js';
import { OutputSlab } from './output-slab.js';
import { type ProgramInfo, readProgramInfo } from './program-info.js';
import { loadProgram, logSizeOption } from './program-load.js';
import { cancellable, signalOption } from './run-cancellation.js';
import type { RunEachAsyncOptions, RunEachInput, RunEachOptions } from './run-each.js';
import { sharedRun, writeRow } from './run-each.js';
import { inputsOption, runEachOnPool, runEachSync } from './run-each-calls.js';
import type { RunEachEntry, RunEachResult } from './run-each-result.js';
import {
  type BenchmarkResult,
  planRun,
  type RunOptions,
  type RunPlan,
  type RunResult,
  samePlan,
} from './run-options.js';
import {
  type RunStreamOptions,
  type RunStreamSource,
  runStreamBatches,
  runStreamEntries,
} from './run-stream.js';
import {
  isTestRunInput,
  type TestRunInput,
  type TypedRunOptions,
  type TypedRunResult,
  typedRunOptions,
  typedRunResult,
} from './test-run-input.js';
import { slots } from './test-run-slots.js';
import * as v from './validate.js';

/** A program type: the `enum bpf_prog_type` number or its name (`'XDP'`, `'BPF_PROG_TYPE_XDP'`). */
export type ProgTypeInput = number | ProgTypeName | `BPF_PROG_TYPE_${ProgTypeName}`;

/** Options of {@link Program.load}. Unknown fields are rejected. */
export interface ProgramLoadOptions {
  /** Program type. Required. */
  readonly type: ProgTypeInput;
  /** Raw `struct bpf_insn` bytes (8 per instruction, 16 for a 64-bit immediate load). Required. */
  readonly instructions: Uint8Array;
  /** License; helpers marked GPL-only need a GPL-compatible one (`'GPL'`, `'Dual MIT/GPL'`). Required. */
  readonly license: string;
  /** Name shown by bpftool, at most 15 bytes of `[A-Za-z0-9_.]` (Linux 4.15+). */
  readonly name?: string;
  /**
   * `enum bpf_attach_type` the program will attach with, as a number or name (`'SK_LOOKUP'`; Linux
   * 4.17+); some types require it.
   */
  readonly expectedAttachType?: AttachTypeInput;
  /** BTF id of the attach target (tracing, LSM, struct_ops, freplace; Linux 5.5+). */
  readonly attachBtfId?: number;
  /** fd of the module BTF holding attachBtfId (Linux 5.11+). Exclusive with attachProgFd. */
  readonly attachBtfObjFd?: number;
  /** fd of the program an freplace (EXT) program replaces. Exclusive with attachBtfObjFd. */
  readonly attachProgFd?: number;
  /** Device to bind to (offload, or BPF_F_XDP_DEV_BOUND_ONLY). */
  readonly progIfindex?: number;
  /**
   * Verifier log level (1: verdicts, 2: every instruction, 4: statistics). With a level the log is kept
   * in {@link Program.verifierLog}; without one, a log is captured only when loading fails.
   */
  readonly logLevel?: number;
  /** Log buffer size in bytes (>= 128). Default 1 MiB, grown up to 64 MiB while the log does not fit. */
  readonly logSize?: number;
  /** BPF_F_* load flags (BPF_F_STRICT_ALIGNMENT, BPF_F_SLEEPABLE, BPF_F_XDP_HAS_FRAGS, ...). */
  readonly flags?: number;
}

/** Options of {@link Program.fromFd}. */
export interface ProgramFromFdOptions {
  /** The program's type; read from the kernel when absent. */
  readonly type?: ProgTypeInput;
  /** The program's name; read from the kernel when absent. */
  readonly name?: string;
}

const LOAD_OPTIONS: readonly (keyof ProgramLoadOptions)[] = [
  'type',
  'instructions',
  'license',
  'name',
  'expectedAttachType',
  'attachBtfId',
  'attachBtfObjFd',
  'attachProgFd',
  'progIfindex',
  'logLevel',
  'logSize',
  'flags',
];
const RUN = 'BPF_PROG_TEST_RUN';
const ENOSPC = errnoOf('ENOSPC');
/** ENOSPC retries: the first reports the size needed, so one suffices unless the output keeps changing. */
const MAX_GROWTH_RETRIES = 3;
/** Output of the synchronous runs of every program (one thread, one run at a time). */
const slab = new OutputSlab();
/** The fields of the synchronous runs of every program, refilled run after run. */
const runFields = testRunFields();
const ECANCELED = errnoOf('ECANCELED');
/** The row and buffers of every async run (the addon copies them when a run starts). */
const asyncRow = new Uint32Array(EACH_INPUT_FIELDS);
const asyncBuffers: ArrayBuffer[] = [];

function progType(field: string, value: unknown): number {
  return enumValue(field, value, ProgType, 'BPF_PROG_TYPE_');
}

/**
 * A loaded BPF program: run it against packets and contexts with BPF_PROG_TEST_RUN, synchronously
 * ({@link run}, {@link test}, {@link benchmark}) or on the libuv pool ({@link runAsync},
 * {@link benchmarkAsync}). Owns its fd: `close()` it, or declare it with `using`.
 *
 * @example
 * ```ts
 * using prog = Program.load({ type: 'XDP', instructions, license: 'GPL' });
 * const { retval, dataOut } = prog.run({ data: packet });
 * ```
 */
export class Program extends FdOwner {
  /** `enum bpf_prog_type` value. */
  readonly type: number;
  /** The program's name ('' when it has none). */
  readonly name: string;
  /** The verifier's log, when {@link ProgramLoadOptions.logLevel} was given. */
  readonly verifierLog: string | undefined;
  #lastOptions: RunOptions | undefined;
  #lastPlan: RunPlan | undefined;

  private constructor(fd: number, type: number, name: string, verifierLog: string | undefined) {
    super(fd, `${progTypeName(type)} program${name ? ` '${name}'` : ''}`);
    this.type = type;
    this.name = name;
    this.verifierLog = verifierLog;
  }

  /**
   * Loads a program from raw instruction bytes (BPF_PROG_LOAD).
   *
   * Minimum kernel: 3.18 for the call; the program type and each option have their own (see them).
   * @throws {ValidationError} for a missing, unknown or malformed option.
   * @throws {BpfError} when the kernel refuses; `verifierLog` holds the verifier's explanation and the
   *   message ends with its last lines.
   */
  static load(options: ProgramLoadOptions): Program {
    const o = v.options<ProgramLoadOptions>('options', options, LOAD_OPTIONS);
    if (o.type === undefined) throw new ValidationError('options.type', 'a program type (required)');
    const type = progType('options.type', o.type);
    const insns = v.bytes('options.instructions', o.instructions);
    if (insns.byteLength === 0 || insns.byteLength % 8 !== 0) {
      throw new ValidationError('options.instructions', 'a non-zero multiple of 8 bytes (struct bpf_insn)', {
        received: insns,
      });
    }
    if (o.attachBtfObjFd !== undefined && o.attachProgFd !== undefined) {
      throw new ValidationError(
        'options.attachProgFd',
        'absent when attachBtfObjFd is given (they share one field)',
      );
    }
    const attachFd = o.attachBtfObjFd ?? o.attachProgFd;
    const name = o.name === undefined ? null : v.string('options.name', o.name, 15);
    const loaded = loadProgram({
      progType: type,
      insns,
      license: v.string('options.license', o.license, 127),
      name,
      expectedAttachType:
        o.expectedAttachType === undefined
          ? 0
          : attachTypeValue('options.expectedAttachType', o.expectedAttachType),
      progFlags: v.optionalU32('options.flags', o.flags),
      attachBtfId: v.optionalU32('options.attachBtfId', o.attachBtfId),
      attachFd:
        attachFd === undefined
          ? 0
          : v.fd(
              o.attachBtfObjFd !== undefined ? 'options.attachBtfObjFd' : 'options.attachProgFd',
              attachFd,
            ),
      progIfindex: v.optionalU32('options.progIfindex', o.progIfindex),
      logLevel: v.optionalU32('options.logLevel', o.logLevel),
      logSize: logSizeOption('options.logSize', o.logSize),
    });
    return new Program(loaded.fd, type, name ?? '', loaded.verifierLog);
  }

  /**
   * Wraps an fd of a loaded program (from an ELF loader, BPF_OBJ_GET, ...). The Program takes ownership:
   * closing it closes the fd. Type and name are read from the kernel unless given.
   *
   * Minimum kernel: 4.13 when type or name must be read.
   * @throws {ValidationError} for a malformed option, or an fd that is not a program's.
   * @throws {BpfError} EBADF when the fd is not open.
   */
  static fromFd(fd: number, options?: ProgramFromFdOptions): Program {
    const o = v.options<ProgramFromFdOptions>('options', options, ['type', 'name']);
    requireFdKind(fd, 'prog');
    let type = o.type === undefined ? undefined : progType('options.type', o.type);
    let name = o.name === undefined ? undefined : v.string('options.name', o.name, 15);
    if (type === undefined || name === undefined) {
      const info = readProgramInfo(fd);
      type ??= info.type;
      name ??= info.name;
    }
    return new Program(fd, type, name, undefined);
  }

  /**
   * Opens the program pinned at `path` (BPF_OBJ_GET).
   *
   * Minimum kernel: 4.13.
   * @throws {BpfError} ENOENT when nothing is pinned there, EINVAL when it is not a program.
   */
  static fromPin(path: string): Program {
    return Program.#adopt(bpfObjGet(path));
  }

  /**
   * Opens the program with kernel id `id` (BPF_PROG_GET_FD_BY_ID). Needs CAP_SYS_ADMIN.
   *
   * Minimum kernel: 4.13.
   * @throws {BpfError} ENOENT when no program has that id.
   */
  static fromId(id: number): Program {
    return Program.#adopt(bpfGetFdById('prog', id));
  }

  static #adopt(fd: number): Program {
    try {
      return Program.fromFd(fd);
    } catch (error) {
      native.closeFd(fd);
      throw error;
    }
  }

  /**
   * A typed run: `input` (what a context builder returns: `xdpMd({ packet })`, `skBuff({ packet, mark })`)
   * gives data_in, ctx_in and the run options it needs; `options` may add the others (`repeat`, `flags`,
   * output sizes). Returns the raw result, the verdict by name for the program's type and what the input
   * decoded: `program.run(xdpMd({ packet }))` → `{ retval: 3, verdict: 'XDP_TX', packet, metadata, ctx, ... }`.
   *
   * Minimum kernel: as the plain run, and as the input's context (xdp_md needs Linux 5.15).
   * @throws As the plain run; {@link ValidationError} also when `options` repeats `data` or `ctx`.
   */
  run<Out extends object>(input: TestRunInput<Out>, options?: TypedRunOptions): TypedRunResult<Out>;
  /**
   * Runs the program once or `repeat` times (BPF_PROG_TEST_RUN) and returns its verdict, the packet and
   * context it left, and the kernel's timing. Blocks the thread for the whole run: use
   * {@link runAsync} for long runs.
   *
   * Output buffers are sized so the kernel cannot overrun them; if the program grows its output past
   * the default room, the run is repeated with the size the kernel reported (so the program runs again).
   * A signal during a run with repeat > 1 would make the kernel abandon it with EINTR; signals are held
   * off for the call's duration and delivered after it, and an interrupted call is reissued whole, so
   * EINTR never surfaces. Map updates made by an abandoned run stay.
   *
   * Minimum kernel: 4.12, and per program type and option (see {@link RunOptions}).
   * @throws {ValidationError} for malformed options, before any syscall.
   * @throws {NotSupportedError} when the running kernel predates the program type's test run or an
   *   option.
   * @throws {BpfError} otherwise, with a message saying what to change (code 'ENOTSUPP' for a type
   *   without a test run, 'EINVAL' for options the type rejects, 'EBADF' once closed).
   */
  run(options?: RunOptions): RunResult;
  run<Out extends object>(
    input?: RunOptions | TestRunInput<Out>,
    options?: TypedRunOptions,
  ): RunResult | TypedRunResult<Out> {
    if (isTestRunInput(input)) {
      return typedRunResult(this.type, input, this.#run(planRun(this.type, typedRunOptions(input, options))));
    }
    return this.#run(this.#plan(input));
  }

  // A hot loop usually passes one options object over and over: its plan is kept and reused while the
  // object still says the same (samePlan), so validation runs once.
  #plan(options: RunOptions | undefined): RunPlan {
    const cached = this.#lastPlan;
    if (
      options !== undefined &&
      options === this.#lastOptions &&
      cached !== undefined &&
      samePlan(cached, options)
    ) {
      return cached;
    }
    const plan = planRun(this.type, options);
    this.#lastOptions = options;
    this.#lastPlan = plan;
    return plan;
  }

  /**
   * The typed {@link run} on the libuv thread pool.
   *
   * Minimum kernel: as {@link run}.
   * @throws {ValidationError} synchronously, for malformed options.
   * @throws {NotSupportedError} | {BpfError} as a rejection, as {@link run}.
   */
  runAsync<Out extends object>(
    input: TestRunInput<Out>,
    options?: TypedRunOptions & Cancellable,
  ): Promise<TypedRunResult<Out>>;
  /**
   * {@link run} on the libuv thread pool: the event loop keeps turning while the kernel runs the
   * program. Inputs are copied when it starts, so the caller may reuse its buffers; closing the Program
   * meanwhile is safe (the call holds its own reference to the program). Occupies one pool thread
   * (UV_THREADPOOL_SIZE, default 4) for the run.
   *
   * A long `repeat` runs as kernel calls of a few milliseconds each ("chunks", see
   * {@link bpfProgTestRunAsync}), so `options.signal` stops it within one chunk and `process.exit()` never
   * waits for more than one. The mean duration is recombined from the chunks (the unchunked mean or one
   * nanosecond below); each chunk starts again from the input packet, so the output packet is that of the
   * last chunk's last run on it.
   *
   * Minimum kernel: as {@link run}.
   * @throws {ValidationError} synchronously, for malformed options.
   * @throws {NotSupportedError} | {BpfError} as a rejection, as {@link run}.
   * @throws `options.signal.reason` as a rejection when the signal aborts, once the run stopped (within
   *   one chunk).
   */
  runAsync(options?: RunOptions & Cancellable): Promise<RunResult>;
  runAsync<Out extends object>(
    input?: (RunOptions & Cancellable) | TestRunInput<Out>,
    options?: TypedRunOptions & Cancellable,
  ): Promise<RunResult | TypedRunResult<Out>> {
    if (isTestRunInput(input)) {
      const [runOptions, signal] = withoutSignal(options);
      const plan = planRun(this.type, typedRunOptions(input, runOptions));
      return this.#runAsync(plan, signal).then((result) => typedRunResult(this.type, input, result));
    }
    if (input !== undefined && input !== null && typeof input === 'object' && 'signal' in input) {
      const [runOptions, signal] = withoutSignal(input);
      return this.#runAsync(planRun(this.type, runOptions), signal);
    }
    return this.#runAsync(this.#plan(input), undefined);
  }

  /**
   * Runs the program once per input, all in one call into the addon: each input is its own
   * BPF_PROG_TEST_RUN with its own data and ctx, validated as {@link run} validates its options, with the
   * same output sizing (and ENOSPC growth) and EINTR guarantees. An input that fails (malformed, or
   * refused by the kernel) gets its own typed error in the result without stopping the others.
   * Crossing once for many runs is what brings a run's cost close to a C loop's.
   *
   * Inputs are what {@link run} takes (`{ data, ctx, ... }` options, or typed inputs such as
   * `xdpMd({ packet })`), or bare packets; `options` holds the run options they share (`repeat`, `flags`,
   * ...). The outputs are packed into one slab as views (a 64-byte packet's output takes 64 bytes).
   * Blocks the thread for all the runs: use {@link runEachAsync} or {@link runStream} for many or long
   * ones.
   *
   * @example
   * ```ts
   * const results = prog.runEach(packets);
   * for (let i = 0; i < results.length; i++) if (results.retval(i) === 1) dropped.push(packets[i]);
   * ```
   *
   * Minimum kernel: as {@link run}.
   * @throws {ValidationError} when `inputs` is not an array or `options` is malformed (a malformed input
   *   is that input's error instead).
   * @throws {BpfError} EBADF once the program is closed.
   */
  runEach<Out extends object>(
    inputs: readonly TestRunInput<Out>[],
    options?: RunEachOptions,
  ): RunEachResult<TypedRunResult<Out>>;
  runEach(inputs: readonly (Uint8Array | RunOptions)[], options?: RunEachOptions): RunEachResult;
  runEach(
    inputs: readonly RunEachInput[],
    options?: RunEachOptions,
  ): RunEachResult<RunResult | TypedRunResult<object>>;
  runEach(inputs: readonly RunEachInput[], options?: RunEachOptions): RunEachResult<RunResult> {
    const list = inputsOption(inputs);
    const shared = sharedRun(this.type, options);
    return runEachSync(shared, this.requireFd(RUN), list, (plan) => this.#run(plan));
  }

  /**
   * {@link runEach} on the libuv thread pool, the inputs spread over `options.concurrency` pool threads
   * (default: the CPUs available), each running its share in one call; results keep input order. Input
   * bytes are copied when it starts. Long repeats run in chunks as with {@link runAsync}, and
   * `options.signal` stops every thread at its next input or chunk.
   *
   * Minimum kernel: as {@link run}.
   * @throws {ValidationError} synchronously, as {@link runEach}.
   * @throws {BpfError} EBADF synchronously once the program is closed.
   * @throws `options.signal.reason` as a rejection when the signal aborts, once the run stopped (within
   *   one chunk).
   */
  runEachAsync<Out extends object>(
    inputs: readonly TestRunInput<Out>[],
    options?: RunEachAsyncOptions,
  ): Promise<RunEachResult<TypedRunResult<Out>>>;
  runEachAsync(
    inputs: readonly (Uint8Array | RunOptions)[],
    options?: RunEachAsyncOptions,
  ): Promise<RunEachResult>;
  runEachAsync(
    inputs: readonly RunEachInput[],
    options?: RunEachAsyncOptions,
  ): Promise<RunEachResult<RunResult | TypedRunResult<object>>>;
  runEachAsync(
    inputs: readonly RunEachInput[],
    options?: RunEachAsyncOptions,
  ): Promise<RunEachResult<RunResult>> {
    return runEachOnPool(
      this.type,
      () => this.requireFd(RUN),
      inputs,
      options,
      (plan, signal) => this.#runAsync(plan, signal),
    );
  }

  /**
   * Runs the program over an unbounded source of inputs (an async iterable or iterable, such as a capture
   * read packet by packet) in constant memory: inputs are taken `options.inputsPerBatch` at a time
   * (default 256), at most `options.concurrency` batches are on the pool at once (default: the CPUs
   * available), and results come out in input order, one {@link RunEachEntry} per input (or one
   * {@link RunEachResult} per batch with `batches: true`). Leaving the loop early, an error or an abort
   * stops the batches in flight and closes the source; results already yielded stay readable.
   *
   * @example
   * ```ts
   * for await (const entry of prog.runStream(readPackets(file), { signal })) {
   *   if (entry.ok) verdicts[entry.result.retval]++;
   * }
   * ```
   *
   * Minimum kernel: as {@link run}.
   * @throws {ValidationError} (when iteration starts) when the source is not iterable or `options` is
   *   malformed; a malformed input is that input's error instead.
   * @throws {BpfError} EBADF once the program is closed.
   * @throws `options.signal.reason` when the signal aborts, once the batches in flight stopped.
   */
  runStream(
    source: RunStreamSource,
    options: RunStreamOptions & { readonly batches: true },
  ): AsyncIterable<RunEachResult<RunResult | TypedRunResult<object>>>;
  runStream<Out extends object>(
    source: RunStreamSource<TestRunInput<Out>>,
    options?: RunStreamOptions & { readonly batches?: false },
  ): AsyncIterable<RunEachEntry<TypedRunResult<Out>>>;
  runStream(
    source: RunStreamSource<Uint8Array | RunOptions>,
    options?: RunStreamOptions & { readonly batches?: false },
  ): AsyncIterable<RunEachEntry>;
  runStream(
    source: RunStreamSource,
    options?: RunStreamOptions,
  ): AsyncIterable<
    RunEachEntry<RunResult | TypedRunResult<object>> | RunEachResult<RunResult | TypedRunResult<object>>
  >;
  runStream(
    source: RunStreamSource,
    options?: RunStreamOptions,
  ): AsyncIterable<RunEachEntry | RunEachResult> {
    const batches = runStreamBatches(
      this.type,
      () => this.requireFd(RUN),
      source,
      options,
      (plan, signal) => this.#runAsync(plan, signal),
    );
    return options?.batches === true ? batches : runStreamEntries(batches);
  }

  /**
   * Runs once with `data` and returns the verdict and output, like cilium/ebpf's Program.Test.
   * `options` may add a ctx or output sizes.
   *
   * @throws As {@link run}.
   */
  test(data: Uint8Array, options?: Omit<RunOptions, 'data' | 'repeat'>): RunResult {
    return this.#run(planRun(this.type, { ...options, data, repeat: 1 }));
  }

  /**
   * Runs `repeat` times in one call without returning the packet, and reports the kernel's mean time
   * per run. For XDP, repeat > 1 adds two RCU grace periods per call (milliseconds) unless the program
   * is also attached somewhere: benchmark with a large repeat.
   *
   * @throws As {@link run}.
   */
  benchmark(
    data: Uint8Array | undefined,
    repeat: number,
    options?: Omit<RunOptions, 'data' | 'repeat'>,
  ): BenchmarkResult {
    const plan = planRun(this.type, { dataSizeOut: 0, ...options, data, repeat: v.u32('repeat', repeat) });
    const result = this.#run(plan);
    return { retval: result.retval, durationNs: result.durationNs, repeat: Math.max(repeat, 1) };
  }

  /**
   * {@link benchmark} on the libuv thread pool, in chunks as {@link runAsync} (the mean is recombined
   * from them: the unchunked mean or one nanosecond below), stoppable by `options.signal`.
   *
   * @throws As {@link runAsync}.
   */
  async benchmarkAsync(
    data: Uint8Array | undefined,
    repeat: number,
    options?: Omit<RunOptions, 'data' | 'repeat'> & Cancellable,
  ): Promise<BenchmarkResult> {
    const [runOptions, signal] = withoutSignal(options);
    const plan = planRun(this.type, { dataSizeOut: 0, ...runOptions, data, repeat: v.u32('repeat', repeat) });
    const result = await this.#runAsync(plan, signal);
    return { retval: result.retval, durationNs: result.durationNs, repeat: Math.max(repeat, 1) };
  }

  /**
   * The kernel's information about the program: id, tag, run statistics, ...
   *
   * Minimum kernel: 4.13.
   * @throws {BpfError} EBADF once closed.
   */
  info(): ProgramInfo {
    return readProgramInfo(this.requireFd('BPF_OBJ_GET_INFO_BY_FD'));
  }

  /**
   * Pins the program at `path` on a bpf filesystem (BPF_OBJ_PIN); it then outlives this process.
   *
   * Minimum kernel: 4.4.
   * @throws {BpfError} EEXIST when the path exists, EPERM/EINVAL outside a bpffs.
   */
  pin(path: string): void {
    bpfObjPin(this.requireFd('BPF_OBJ_PIN'), path);
  }

  // The single private run behind run/test/benchmark: the package's one synchronous test-run call
  // (issueTestRun, which bpfProgTestRun makes too) plus planning. Lean on purpose, since the kernel's part
  // of a call is about a microsecond: the fields are refilled in place, the kernel writes its output
  // straight into the output slab, and results are views of what it wrote.
  #run(plan: RunPlan): RunResult {
    const f = runFields;
    f.progFd = this.requireFd(RUN);
    f.dataIn = plan.data;
    f.ctxIn = plan.ctx;
    f.repeat = plan.repeat;
    f.flags = plan.flags;
    f.cpu = plan.cpu;
    f.batchSize = plan.batchSize;
    for (let retry = 0; ; retry++) {
      const ctxRoom = plan.ctxSizeOut;
      slab.reserve(ctxRoom + plan.dataSizeOut);
      const base = slab.offset;
      const out = slab.buffer;
      // The context goes first, the packet after it; an automatic packet size gets all the room left.
      const dataRoom =
        plan.dataSizeOut === 0 ? 0 : plan.dataSizeOutExplicit ? plan.dataSizeOut : slab.size - base - ctxRoom;
      f.ctxOut = ctxRoom === 0 ? undefined : out;
      f.ctxOutOffset = base;
      f.ctxOutLength = ctxRoom;
      f.dataOut = dataRoom === 0 ? undefined : out;
      f.dataOutOffset = base + ctxRoom;
      f.dataOutLength = dataRoom;
      const ret = issueTestRun(f);
      const dataSizeOut = slots[TestRunSlot.dataSizeOut]!;
      const ctxSizeOut = slots[TestRunSlot.ctxSizeOut]!;
      if (ret >= 0) {
        const result: RunResult = {
          retval: slots[TestRunSlot.retval]!,
          durationNs: slots[TestRunSlot.duration]!,
          syscallReturn: ret,
          dataOut: dataRoom === 0 ? undefined : slab.view(base + ctxRoom, Math.min(dataSizeOut, dataRoom)),
          ctxOut:
            ctxRoom === 0
              ? plan.ctxWrittenBack
                ? (plan.ctx as Buffer)
                : undefined
              : slab.view(base, Math.min(ctxSizeOut, ctxRoom)),
        };
        slab.consume(base + ctxRoom + (dataRoom === 0 ? 0 : Math.min(dataSizeOut, dataRoom)));
        return result;
      }
      if (
        ret === -ENOSPC &&
        retry < MAX_GROWTH_RETRIES &&
        grow(plan, dataSizeOut, dataRoom, ctxSizeOut, ctxRoom)
      ) {
        continue;
      }
      throw diagnoseTestRun(-ret, this.type, plan, { dataSizeOut, ctxSizeOut }, partialOfIssued(ret, f));
    }
  }

  // The asynchronous run: one input of the batched call on the pool (the 1:1 bpfProgTestRunAsync would
  // build a result object property by property and copy the outputs into fresh Buffers; this one's
  // outputs are views into the one block the addon resolves with), plus planning and ENOSPC growth.
  async #runAsync(plan: RunPlan, signal: AbortSignal | undefined): Promise<RunResult> {
    for (let retry = 0; ; retry++) {
      // The addon copies the row and the bytes it names before the call returns: one row serves all.
      asyncBuffers.length = 0;
      writeRow(asyncRow, 0, plan, (view) => asyncBuffers.push(view.buffer as ArrayBuffer) - 1);
      const progFd = this.requireFd(RUN);
      const bytes = await cancellable(signal, (cancelId) =>
        callProgTestRunEachAsync(native.progTestRunEachAsync, {
          progFd,
          count: 1,
          inputs: asyncRow,
          buffers: asyncBuffers,
          cancelId,
        }),
      );
      const table = new Uint32Array(bytes, 0, EACH_HEADER_FIELDS + EACH_RESULT_FIELDS);
      if (table[EachHeader.cancelled] !== 0) throw new BpfError({ errno: ECANCELED, command: RUN });
      const at = EACH_HEADER_FIELDS;
      const ret = table[at + EachResult.ret]! | 0;
      const view = (offset: number, length: number) =>
        Buffer.from(bytes, table[at + offset]!, table[at + length]!);
      if (ret >= 0) {
        return {
          retval: table[at + EachResult.retval]!,
          durationNs: table[at + EachResult.duration]!,
          syscallReturn: ret,
          dataOut:
            plan.dataSizeOut === 0 ? undefined : view(EachResult.dataOutOffset, EachResult.dataOutLength),
          ctxOut:
            plan.ctxSizeOut === 0 && !plan.ctxWrittenBack
              ? undefined
              : view(EachResult.ctxOutOffset, EachResult.ctxOutLength),
        };
      }
      const reported = {
        dataSizeOut: table[at + EachResult.dataSizeOut]!,
        ctxSizeOut: table[at + EachResult.ctxSizeOut]!,
      };
      if (
        ret === -ENOSPC &&
        retry < MAX_GROWTH_RETRIES &&
        grow(plan, reported.dataSizeOut, plan.dataSizeOut, reported.ctxSizeOut, plan.ctxSizeOut)
      ) {
        continue;
      }
      const copy = (offset: number) => (length: number) =>
        Buffer.from(bytes.slice(table[at + offset]!, table[at + offset]! + length));
      const partial =
        ret === -ENOSPC
          ? partialTestRun(
              table[at + EachResult.retval]!,
              reported.dataSizeOut,
              plan.dataSizeOut,
              copy(EachResult.dataOutOffset),
              reported.ctxSizeOut,
              plan.ctxSizeOut,
              copy(EachResult.ctxOutOffset),
            )
          : undefined;
      throw diagnoseTestRun(-ret, this.type, plan, reported, partial);
    }
  }
}

/** The `signal` option of an async run. */
export interface Cancellable {
  /**
   * Stops the run: the pool thread stops at the next chunk of a long repeat (a few milliseconds; see
   * {@link Program.runAsync}), and the promise then rejects with `signal.reason`.
   */
  readonly signal?: AbortSignal;
}

/** `options` without `signal`, and the validated signal. */
function withoutSignal<T extends object>(
  options: (T & Cancellable) | undefined,
): [T | undefined, AbortSignal | undefined] {
  if (options === undefined || options === null || typeof options !== 'object' || !('signal' in options)) {
    return [options, undefined];
  }
  const { signal, ...rest } = options;
  return [rest as unknown as T, signalOption('options.signal', signal)];
}

/**
 * After ENOSPC: raise the automatic capacity the kernel found too small (it reports the size it needed;
 * `*Room` is what the run had). False when the short one was explicit, so the error stands.
 */
function grow(
  plan: RunPlan,
  dataSizeOut: number,
  dataRoom: number,
  ctxSizeOut: number,
  ctxRoom: number,
): boolean {
  if (dataRoom > 0 && dataSizeOut > dataRoom) {
    if (plan.dataSizeOutExplicit) return false;
    plan.dataSizeOut = dataSizeOut;
    return true;
  }
  if (ctxRoom > 0 && ctxSizeOut > ctxRoom && !plan.ctxSizeOutExplicit) {
    plan.ctxSizeOut = ctxSizeOut;
    return true;
  }
  return false;
}
