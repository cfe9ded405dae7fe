import { type ProgramTypeContext, testRunInputFor } from '@progrun/ctx-builders';
import {
  kernelOlderThan,
  type Program,
  type RunOptions,
  type RunResult,
  type TestRunInput,
  type TypedRunOptions,
  type TypedRunResult,
} from '@progrun/syscall';
import { type BpfProgTypeName, programTypeProfile, ValidationError } from '@progrun/uapi';
import { type CliError, usageError } from '../cli/cli-error.js';
import { ctxFields, rawCtx, syscallInput } from './ctx-option.js';

/** What a run produced, decoded for the program's type by the library's typed run. */
export interface RunOutputs {
  /** The packet after the run (without XDP metadata), for packet programs. */
  readonly packet?: Uint8Array;
  /** XDP metadata the program left in front of the packet (bpf_xdp_adjust_meta). */
  readonly metadata?: Uint8Array;
  /** The context after the run, decoded field by field. */
  readonly ctx?: Readonly<Record<string, unknown>>;
  /** FLOW_DISSECTOR: the flow keys the program filled in. */
  readonly flowKeys?: Readonly<Record<string, unknown>>;
}

/** One finished run: the kernel's answer, what went in and what came out, decoded. */
export interface RunOnce {
  readonly retval: number;
  readonly durationNs: number;
  /** The input packet, for packet programs. */
  readonly packet: Uint8Array | undefined;
  /** The context as sent, decoded, when one is sent. */
  readonly ctxIn: Readonly<Record<string, unknown>> | undefined;
  readonly outputs: RunOutputs;
}

type Decoded = Partial<Record<'packet' | 'metadata' | 'ctx' | 'flowKeys', unknown>>;

/**
 * Runs `program` once on `packet` with the `--ctx` value through the library's typed run: the context
 * builder of the type (from @progrun/ctx-builders) checks the kernel's rules before the syscall and decodes
 * what comes back. Types without a builder, and a kernel older than the type's ctx_in when no `--ctx` is
 * given, run on the plain options (`--ctx` then is raw hex).
 * @throws CliError (usage) for a `--ctx` of the wrong shape; ValidationError for a field the kernel
 *   would reject; the run's errors.
 */
export function runOnce(
  program: Program,
  typeName: BpfProgTypeName,
  packet: Uint8Array | undefined,
  ctx: unknown,
  options: Omit<TypedRunOptions, 'cpu'> & { readonly cpu?: number },
): RunOnce {
  const call = planCall(typeName, packet, ctx, options);
  return call.finish(
    call.input === undefined ? program.run(call.options) : program.run(call.input, call.options),
  );
}

/**
 * {@link runOnce} on the thread pool, stoppable by `signal`: a long `repeat` runs in chunks of a few
 * milliseconds (`Program.runAsync`), so an interrupt ends it at once instead of when the kernel's loop
 * ends. A single run (`repeat` 1) goes the synchronous way: it takes microseconds.
 * @throws as {@link runOnce}; `signal.reason` when the signal aborts, once the run stopped.
 */
export async function runOnceInterruptible(
  program: Program,
  typeName: BpfProgTypeName,
  packet: Uint8Array | undefined,
  ctx: unknown,
  options: Omit<TypedRunOptions, 'cpu'> & { readonly cpu?: number },
  signal: AbortSignal,
): Promise<RunOnce> {
  signal.throwIfAborted();
  if ((options.repeat ?? 1) <= 1) return runOnce(program, typeName, packet, ctx, options);
  const call = planCall(typeName, packet, ctx, options);
  return call.finish(
    call.input === undefined
      ? await program.runAsync({ ...call.options, signal })
      : await program.runAsync(call.input, { ...call.options, signal }),
  );
}

/** What one run sends (a typed input, or plain options only) and how its result is read. */
interface PlannedCall {
  readonly input: TestRunInput<Decoded> | undefined;
  readonly options: RunOptions;
  finish(result: RunResult): RunOnce;
}

function planCall(
  typeName: BpfProgTypeName,
  packet: Uint8Array | undefined,
  ctx: unknown,
  options: Omit<TypedRunOptions, 'cpu'> & { readonly cpu?: number },
): PlannedCall {
  const input = typedInput(typeName, packet, ctx, options.cpu);
  if (input === undefined) {
    return {
      input: undefined,
      options: { ...options, ...(packet ? { data: packet } : {}), ...rawCtx(ctx) },
      finish: (result) => ({
        ...timing(result),
        packet,
        ctxIn: undefined,
        outputs: { packet: result.dataOut },
      }),
    };
  }
  // A raw tracepoint's builder took the CPU (and asks for BPF_F_TEST_RUN_ON_CPU itself).
  const { cpu, ...rest } = options;
  return {
    input: input as TestRunInput<Decoded>,
    options: typeName === 'RAW_TRACEPOINT' || cpu === undefined ? rest : options,
    finish: (plain) => {
      const result = plain as TypedRunResult<Decoded>;
      return {
        ...timing(result),
        packet,
        ctxIn: { ...input.fields },
        outputs: {
          // data_out is the packet only for packet programs (FLOW_DISSECTOR's is its flow keys).
          packet:
            (result.packet as Uint8Array | undefined) ??
            (programTypeProfile(typeName)?.testRun?.dataOut === 'packet' ? result.dataOut : undefined),
          ...(result.metadata ? { metadata: result.metadata as Uint8Array } : {}),
          ...(result.ctx ? { ctx: { ...(result.ctx as object) } } : {}),
          ...(result.flowKeys ? { flowKeys: { ...(result.flowKeys as object) } } : {}),
        },
      };
    },
  };
}

function timing(result: RunResult): { retval: number; durationNs: number } {
  return { retval: result.retval, durationNs: result.durationNs };
}

/** The typed input of the run, or undefined when it goes on plain options. */
function typedInput(
  typeName: BpfProgTypeName,
  packet: Uint8Array | undefined,
  ctx: unknown,
  cpu: number | undefined,
): ProgramTypeContext | ReturnType<typeof syscallInput> {
  const testRun = programTypeProfile(typeName)?.testRun;
  const context = testRun?.context;
  if (context === undefined) return undefined;
  if (context.layout.kind === 'program-defined') return syscallInput(ctx);
  if (ctx === undefined && context.ctxInSince !== undefined && kernelOlderThan(context.ctxInSince)) {
    return undefined;
  }
  const fields = ctxFields(typeName, ctx, cpu);
  try {
    return testRunInputFor(typeName, { ...fields, ...(packet ? { packet } : {}) });
  } catch (error) {
    throw unknownCtxField(error) ?? error;
  }
}

/** Builder options the command line sets itself (from the input packet, the program, `--cpu`). */
const notCtxFields = new Set(['packet', 'progType', 'target', 'live', 'cpu']);

/**
 * A `--ctx` field the context builder does not know, as a usage error that lists what `--ctx` can set:
 * the builder's fields without those the command line fills in itself. Undefined for other errors.
 */
function unknownCtxField(error: unknown): CliError | undefined {
  if (!ValidationError.isInstance(error) || error.rule !== 'unknown-field') return undefined;
  const [struct, field] = [error.field.slice(0, error.field.lastIndexOf('.')), error.field.split('.').at(-1)];
  const known = /known: (.*)$/.exec(error.message)?.[1]?.split(', ') ?? [];
  const settable = known.filter((name) => !notCtxFields.has(name));
  return usageError(
    `--ctx.${field}`,
    'a field of the context',
    `--ctx field "${field}" is not a field of ${struct}; --ctx can set ${settable.join(', ')}`,
    'run',
  );
}
