import { BPF_F_TEST_RUN_ON_CPU, ValidationError } from '@progrun/uapi';
import { describe } from '../packet/field-checks.js';
import { ctxU64 } from './context-values.js';
import type { NoRunOutputs, TestRunOutput } from './test-run-output.js';

/** MAX_BPF_FUNC_ARGS: the most arguments a BPF program's context array carries. */
export const MAX_BPF_FUNC_ARGS = 12;

/** Encodes an array of u64 arguments (bigint or safe integers; negative numbers as two's complement). */
export function encodeU64Args(field: string, args: unknown): Buffer {
  if (!Array.isArray(args))
    throw new ValidationError(field, 'u64-array', {
      message: `expected an array of arguments, got ${describe(args)}`,
    });
  if (args.length > MAX_BPF_FUNC_ARGS) {
    throw new ValidationError(field, 'max-args', {
      message: `${args.length} arguments exceed ${MAX_BPF_FUNC_ARGS} (MAX_BPF_FUNC_ARGS)`,
      kernelCode: 'EINVAL',
    });
  }
  const out = Buffer.alloc(8 * args.length);
  args.forEach((a, i) => {
    // Signed arguments (an int -1) are passed as their 64-bit two's complement.
    const v =
      typeof a === 'bigint' && a < 0n && a >= -(1n << 63n)
        ? a + (1n << 64n)
        : typeof a === 'number' && a < 0 && Number.isSafeInteger(a)
          ? BigInt(a) + (1n << 64n)
          : a;
    out.writeBigUInt64LE(ctxU64(`${field}[${i}]`, v), 8 * i);
  });
  return out;
}

/** Decodes an array of u64 arguments. */
export function decodeU64Args(bytes: Uint8Array): bigint[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: bigint[] = [];
  for (let i = 0; i + 8 <= b.length; i += 8) out.push(b.readBigUInt64LE(i));
  return out;
}

/**
 * A test-run input for `Program.run` that is an array of u64 arguments (RAW_TRACEPOINT, STRUCT_OPS): ctx_in
 * only, and for a raw tracepoint run on a chosen CPU, the CPU and BPF_F_TEST_RUN_ON_CPU.
 */
export class U64ArgsContext {
  /** BPF_F_TEST_RUN_ON_CPU when a CPU was chosen. */
  readonly flags: number | undefined;

  /**
   * @param ctxIn bytes for ctx_in (u64 arguments)
   * @param args the arguments as sent
   * @param cpu the CPU to run on, if one was chosen
   */
  constructor(
    readonly ctxIn: Buffer,
    readonly args: readonly bigint[],
    readonly cpu?: number,
  ) {
    this.flags = cpu === undefined ? undefined : BPF_F_TEST_RUN_ON_CPU;
  }

  /** The arguments as sent. */
  get fields(): { readonly args: readonly bigint[] } {
    return { args: this.args };
  }

  /** These runs return only their verdict: the kernel takes no ctx_out and no data for them. */
  decode(_result: TestRunOutput): NoRunOutputs {
    return {};
  }
}
