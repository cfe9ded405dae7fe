import { programTypes, ValidationError } from '@progrun/uapi';
import { ctxOptions } from './context-values.js';
import { checkTarget, type KernelTarget, requireKernel } from './kernel-target.js';
import { decodeU64Args, encodeU64Args, U64ArgsContext } from './u64-args.js';

/** What {@link structOpsArgs} takes. */
export interface StructOpsArgsOptions {
  /**
   * The operation's arguments as u64 values. Pointer arguments are addresses in the caller's memory,
   * 0 for NULL. The first argument of `bpf_dummy_ops` operations is a `struct bpf_dummy_ops_state *`;
   * recent kernels accept NULL there only for `test_1` (EINVAL otherwise).
   */
  args: readonly (bigint | number)[];
  /** The number of arguments of the operation's prototype; the kernel requires exactly that many. */
  argCount?: number;
  /** The kernel to check the rules for (default: the newest). */
  target?: KernelTarget;
}

const KNOWN = new Set(['args', 'argCount', 'target']);

/**
 * Builds the argument array of a STRUCT_OPS test run. Only the kernel's `bpf_dummy_ops` test
 * operations can be run; ctx_in must hold exactly one u64 per argument of the operation (EINVAL
 * otherwise).
 *
 * Minimum kernel: 5.17 (STRUCT_OPS test run).
 *
 * @throws ValidationError for more than 12 arguments, a count other than `argCount`, or a value outside u64
 */
export function structOpsArgs(options: StructOpsArgsOptions): U64ArgsContext {
  const o = ctxOptions<StructOpsArgsOptions>('struct_ops', options, KNOWN);
  const target = checkTarget(o.target);
  requireKernel(target, programTypes.STRUCT_OPS.testRun.minKernel, 'struct_ops', 'a STRUCT_OPS test run');
  const ctxIn = encodeU64Args('struct_ops.args', o.args);
  if (o.argCount !== undefined && o.argCount !== ctxIn.length / 8) {
    throw new ValidationError('struct_ops.args', 'arg-count', {
      message: `the operation takes ${String(o.argCount)} arguments, got ${ctxIn.length / 8}`,
      kernelCode: 'EINVAL',
    });
  }
  return new U64ArgsContext(ctxIn, decodeU64Args(ctxIn));
}
