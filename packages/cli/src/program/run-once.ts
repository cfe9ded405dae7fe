import { type ProgramTypeContext, testRunInputFor } from '@progrun/ctx-builders';
import {
  kernelOlderThan,
  type Program,
  type RunOptions,
  type RunResult,
  type TestRunInput,
  type TypedRunOptions,
} from '@progrun/syscall';
import { type BpfProgTypeName, programTypeProfile } from '@progrun/uapi';
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
  const input = typedInput(typeName, packet, ctx, options.cpu);
  if (input === undefined) {
    const result: RunResult = program.run({
      ...options,
      ...(packet ? { data: packet } : {}),
      ...rawCtx(ctx),
    });
    return { ...timing(result), packet, ctxIn: undefined, outputs: { packet: result.dataOut } };
  }
  // A raw tracepoint's builder took the CPU (and asks for BPF_F_TEST_RUN_ON_CPU itself).
  const { cpu, ...rest } = options;
  const runOptions: RunOptions = typeName === 'RAW_TRACEPOINT' || cpu === undefined ? rest : options;
  const result = program.run(input as TestRunInput<Decoded>, runOptions);
  return {
    ...timing(result),
    packet,
    ctxIn: { ...input.fields },
    outputs: {
      packet:
        (result.packet as Uint8Array | undefined) ?? (typeName === 'SYSCALL' ? undefined : result.dataOut),
      ...(result.metadata ? { metadata: result.metadata as Uint8Array } : {}),
      ...(result.ctx ? { ctx: { ...(result.ctx as object) } } : {}),
      ...(result.flowKeys ? { flowKeys: { ...(result.flowKeys as object) } } : {}),
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
  return testRunInputFor(typeName, { ...ctxFields(typeName, ctx, cpu), ...(packet ? { packet } : {}) });
}
