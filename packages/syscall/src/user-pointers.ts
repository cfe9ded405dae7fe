import { types } from 'node:util';
import { ValidationError } from '@progrun/uapi';
import { native } from './native.js';
import type { RunResult } from './run-options.js';
import { isTestRunInput, type TestRunInput } from './test-run-input.js';
import * as v from './validate.js';

/** A user-space pointer inside a test run's context, for {@link withUserPointers}. */
export interface UserPointer {
  /** Byte offset in the context of the pointer: a `__u64` field (`__u64 log_buf`). */
  readonly offset: number;
  /**
   * The memory it points at: what the kernel reads there is its contents when the run starts, and what
   * the kernel wrote there comes back into it after each run.
   */
  readonly buffer: Uint8Array;
}

/** The largest memory one pointer may point at (the addon's limit on pinned memory). */
const MAX_POINTED_BYTES = 1 << 28;

interface Pinned {
  readonly pointer: UserPointer;
  readonly memory: { readonly buffer: Buffer; readonly address: bigint };
}

/**
 * A typed test-run input whose context holds user-space pointers: for each pointer, the 8 bytes at
 * `offset` of the context get the address of memory the kernel may read and write during the run, as the
 * kernel's SYSCALL selftest passes a `log_buf` for a `bpf_sys_bpf(BPF_PROG_LOAD)` from inside the
 * program. `ctx` is the context's bytes, or a typed input that gives them (`ctxIn`: @progrun/ctx-builders'
 * `syscallStruct(...).build(...)`, whose decoding the result keeps).
 *
 * The memory is the addon's own, not `buffer`: it cannot move, be detached or be collected while a run
 * (sync or async) follows the pointer, since the input holds it until its result is decoded. Each run
 * copies `buffer` into it when it starts and the memory back into `buffer` when it ends (the result's
 * decoding, after {@link Program.run} returns or {@link Program.runAsync} resolves). A pointer in the
 * context is an address of this process: only programs that dereference user memory (SYSCALL programs'
 * `bpf_sys_bpf` arguments, Linux 5.14+) use it.
 *
 * Fds a SYSCALL program creates (`bpf_sys_bpf(BPF_MAP_CREATE, ...)`) belong to this process and come
 * back in the context: wrap them with `BpfMap.fromFd`, `Program.fromFd` or `BtfHandle.fromFd`.
 *
 * Minimum kernel: 5.14 for SYSCALL test runs.
 * @throws {ValidationError} for a missing or empty context (`ctx`), pointers that are not a non-empty
 *   array (`pointers`), an offset outside the context or overlapping another pointer
 *   (`pointers[i].offset`), or a buffer that is not 1 byte to 256 MiB of bytes (`pointers[i].buffer`);
 *   when a run starts, a buffer whose length changed since (`pointers[i].buffer`, e.g. detached).
 *
 * @example
 * ```ts
 * const log = Buffer.alloc(8192);
 * const ctx = Buffer.alloc(32); // struct args { __u64 log_buf; __u32 log_size; ... }
 * ctx.writeUInt32LE(log.length, 8);
 * const { retval, ctxOut } = program.run(withUserPointers(ctx, [{ offset: 0, buffer: log }]));
 * // log now holds what the kernel wrote through ctx->log_buf
 * ```
 */
export function withUserPointers<Out extends object = Record<never, never>>(
  ctx: Uint8Array | TestRunInput<Out>,
  pointers: readonly UserPointer[],
): TestRunInput<Out> {
  const base = isTestRunInput(ctx) ? (ctx as TestRunInput<Out>) : undefined;
  const given = base === undefined ? ctx : base.ctxIn;
  // isUint8Array reads the internal slot (a Proxy around a Buffer passes instanceof, then its getters throw).
  if (!types.isUint8Array(given) || given.byteLength < 8) {
    throw new ValidationError(
      'ctx',
      'the context bytes (at least 8, for one pointer), or a typed input that gives them (ctxIn)',
      { received: given },
    );
  }
  if (!Array.isArray(pointers) || types.isProxy(pointers) || pointers.length === 0) {
    throw new ValidationError('pointers', 'a non-empty array of { offset, buffer } (not a Proxy)', {
      received: pointers,
    });
  }
  const context = Buffer.from(given);
  const pinned: Pinned[] = pointers.map((pointer, i) => {
    const field = `pointers[${i}]`;
    v.options<UserPointer>(field, pointer, ['offset', 'buffer']);
    const offset = v.integer(`${field}.offset`, pointer.offset, 0, context.byteLength - 8);
    const buffer = v.bytes(`${field}.buffer`, pointer.buffer);
    if (buffer.byteLength === 0 || buffer.byteLength > MAX_POINTED_BYTES) {
      throw new ValidationError(`${field}.buffer`, '1 byte to 256 MiB', { received: buffer });
    }
    const clash = pointers.findIndex((other, j) => j < i && Math.abs(other.offset - offset) < 8);
    if (clash >= 0) {
      throw new ValidationError(`${field}.offset`, `8 bytes apart from pointers[${clash}].offset`, {
        received: offset,
      });
    }
    const memory = native.pinnedMemory(buffer.byteLength);
    context.writeBigUInt64LE(memory.address, offset);
    return { pointer: { offset, buffer }, memory };
  });

  return {
    dataIn: base?.dataIn,
    flags: base?.flags,
    cpu: base?.cpu,
    dataSizeOut: base?.dataSizeOut,
    ctxSizeOut: base?.ctxSizeOut,
    // Read once per run, as it starts: the pointed-at memory gets the caller's current contents.
    get ctxIn(): Uint8Array {
      pinned.forEach(({ pointer, memory }, i) => {
        if (pointer.buffer.byteLength !== memory.buffer.byteLength) {
          throw new ValidationError(
            `pointers[${i}].buffer`,
            `the ${memory.buffer.byteLength} bytes it had when the pointer was made (it was resized or detached)`,
          );
        }
        memory.buffer.set(pointer.buffer);
      });
      return context;
    },
    decode(result: RunResult): Out {
      for (const { pointer, memory } of pinned) {
        if (pointer.buffer.byteLength === memory.buffer.byteLength) pointer.buffer.set(memory.buffer);
      }
      return base === undefined ? ({} as Out) : base.decode(result);
    },
  };
}
