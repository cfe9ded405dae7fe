import { programTypes, ValidationError } from '@progrun/uapi';
import { ctxOptions, ctxUint } from './context-values.js';
import { checkTarget, type KernelTarget, requireKernel } from './kernel-target.js';
import { decodeU64Args, encodeU64Args, U64ArgsContext } from './u64-args.js';

/** What {@link rawTracepointArgs} takes. */
export interface RawTracepointOptions {
  /** The tracepoint's arguments as the program reads them (`ctx->args[i]`), at most 12. */
  args: readonly (bigint | number)[];
  /**
   * The highest byte offset the program reads (the verifier's max_ctx_offset); the kernel rejects a
   * shorter ctx_in with EINVAL. Default: not checked.
   */
  minSize?: number;
  /** The CPU to run on: the typed run adds BPF_F_TEST_RUN_ON_CPU. Default: the caller's. */
  cpu?: number;
  /** The kernel to check the rules for (default: the newest). */
  target?: KernelTarget;
}

const KNOWN = new Set(['args', 'minSize', 'cpu', 'target']);

/**
 * Builds the argument array of a RAW_TRACEPOINT test run (`struct bpf_raw_tracepoint_args`: u64
 * `args[]`). The kernel accepts at most 12 arguments, and at least as many bytes as the program reads;
 * it rejects data_in, data_out, ctx_out and repeat for this type.
 *
 * Minimum kernel: 5.10 (raw tracepoint test run).
 *
 * @throws ValidationError for more than 12 arguments, a value outside u64/s64, or fewer bytes than `minSize`
 */
export function rawTracepointArgs(options: RawTracepointOptions): U64ArgsContext {
  const o = ctxOptions<RawTracepointOptions>('raw_tracepoint', options, KNOWN);
  const target = checkTarget(o.target);
  requireKernel(
    target,
    programTypes.RAW_TRACEPOINT.testRun.minKernel,
    'raw_tracepoint',
    'a RAW_TRACEPOINT test run',
  );
  const ctxIn = encodeU64Args('raw_tracepoint.args', o.args);
  if (o.minSize !== undefined && (typeof o.minSize !== 'number' || ctxIn.length < o.minSize)) {
    throw new ValidationError('raw_tracepoint.args', 'min-size', {
      message: `${ctxIn.length} bytes is less than the ${String(o.minSize)} the program reads`,
      kernelCode: 'EINVAL',
    });
  }
  const cpu = o.cpu === undefined ? undefined : ctxUint('raw_tracepoint.cpu', o.cpu, 32);
  return new U64ArgsContext(ctxIn, decodeU64Args(ctxIn), cpu);
}
