import { types } from 'node:util';
import { programTypes, ValidationError } from '@progrun/uapi';
import { describe } from '../packet/field-checks.js';
import { atLeast, ctxBytes, ctxOptions } from './context-values.js';
import { checkTarget, type KernelTarget, requireKernel } from './kernel-target.js';
import type { TestRunOutput } from './test-run-output.js';

/** A scalar C type of a SYSCALL program's argument struct (`ptr` is a 64-bit address). */
export type SyscallScalar = 'u8' | 'u16' | 'u32' | 'u64' | 's8' | 's16' | 's32' | 's64' | 'ptr';

/** A field type: a scalar, `{ bytes: n }` (a `char[n]`/`__u8[n]` buffer) or `{ array, length }`. */
export type SyscallFieldType =
  | SyscallScalar
  | { readonly bytes: number }
  | { readonly array: SyscallScalar; readonly length: number };

type ScalarValue<T extends SyscallScalar> = T extends 'u64' | 's64' | 'ptr' ? bigint : number;

/** The JavaScript value of a field type. */
export type SyscallFieldValue<T extends SyscallFieldType> = T extends SyscallScalar
  ? ScalarValue<T>
  : T extends { readonly bytes: number }
    ? Uint8Array
    : T extends { readonly array: infer E extends SyscallScalar }
      ? ScalarValue<E>[]
      : never;

/** The values of a struct described by `F`, field by field. */
export type SyscallStructValue<F extends Record<string, SyscallFieldType>> = {
  [K in keyof F]: SyscallFieldValue<F[K]>;
};

/** What {@link SyscallStruct.build} takes: any subset of the fields (the rest are 0) and an optional target. */
export type SyscallStructInput<F extends Record<string, SyscallFieldType>> = {
  [K in keyof F]?: F[K] extends SyscallScalar
    ? ScalarValue<F[K]> | number
    : SyscallFieldValue<F[K]> | readonly (number | bigint)[];
};

const SCALAR_SIZE: Readonly<Record<SyscallScalar, number>> = {
  u8: 1,
  u16: 2,
  u32: 4,
  u64: 8,
  s8: 1,
  s16: 2,
  s32: 4,
  s64: 8,
  ptr: 8,
};
/** U16_MAX: the largest ctx_in a SYSCALL test run accepts. */
const MAX_SYSCALL_CTX = 65535;

interface Slot {
  readonly name: string;
  readonly offset: number;
  readonly scalar: SyscallScalar | undefined;
  readonly count: number;
  readonly bytes: number;
}

function writeScalar(buf: Buffer, at: number, type: SyscallScalar, value: unknown, field: string): void {
  const size = SCALAR_SIZE[type];
  const signed = type.startsWith('s');
  const bits = size * 8;
  let v: bigint;
  if (typeof value === 'bigint') v = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) v = BigInt(value);
  else
    throw new ValidationError(field, 'integer', {
      message: `expected an integer for ${type}, got ${describe(value)}`,
    });
  const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
  const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  if (v < min || v > max)
    throw new ValidationError(field, `${type}-range`, { message: `${v} is outside ${min}..${max}` });
  const u = v < 0n ? v + (1n << BigInt(bits)) : v;
  if (size === 8) buf.writeBigUInt64LE(u, at);
  else buf.writeUIntLE(Number(u), at, size);
}

function readScalar(buf: Buffer, at: number, type: SyscallScalar): number | bigint {
  switch (type) {
    case 'u8':
      return buf.readUInt8(at);
    case 'u16':
      return buf.readUInt16LE(at);
    case 'u32':
      return buf.readUInt32LE(at);
    case 's8':
      return buf.readInt8(at);
    case 's16':
      return buf.readInt16LE(at);
    case 's32':
      return buf.readInt32LE(at);
    case 's64':
      return buf.readBigInt64LE(at);
    default:
      return buf.readBigUInt64LE(at);
  }
}

/** What a SYSCALL run returns, decoded ({@link SyscallContext.decode}). */
export interface SyscallRun<F extends Record<string, SyscallFieldType>> {
  /** The argument struct as the program left it (the kernel writes it back into ctx_in). */
  readonly ctx: SyscallStructValue<F> | undefined;
}

/** A SYSCALL test-run input for `Program.run`: the argument struct, which the kernel writes back after the run. */
export class SyscallContext<F extends Record<string, SyscallFieldType>> {
  /**
   * @param struct the struct description
   * @param ctxIn bytes for ctx_in
   */
  constructor(
    readonly struct: SyscallStruct<F>,
    readonly ctxIn: Buffer,
  ) {}

  /** The struct as sent. */
  get fields(): SyscallStructValue<F> {
    return this.struct.decode(this.ctxIn);
  }

  /** Decodes the struct as the program left it (the run's ctx_out: ctx_in written back). */
  decode(result: TestRunOutput): SyscallRun<F> {
    return { ctx: result.ctxOut && this.struct.decode(result.ctxOut) };
  }
}

/**
 * The argument struct of a SYSCALL program, described field by field in declaration order and laid
 * out with C's natural alignment on x86-64 (each field aligned to its element size, the struct to its
 * largest), as clang lays out the program's own declaration.
 *
 * Minimum kernel: 5.14 (SYSCALL test run).
 */
export class SyscallStruct<F extends Record<string, SyscallFieldType>> {
  /** sizeof the struct. */
  readonly size: number;
  /** Byte offset of each field. */
  readonly offsets: Readonly<Record<keyof F, number>>;
  private readonly slots: readonly Slot[];

  /**
   * @param fields field name to type, in declaration order
   * @throws ValidationError for an unknown type or a struct above 65535 bytes
   */
  constructor(fields: F) {
    // A plain object only: a typed array or a Proxy could list millions of keys before the size check.
    const proto = typeof fields === 'object' && fields !== null ? Object.getPrototypeOf(fields) : undefined;
    if ((proto !== Object.prototype && proto !== null) || types.isProxy(fields)) {
      throw new ValidationError('syscall', 'fields', {
        message: `expected a plain object of field types, got ${describe(fields)}`,
      });
    }
    const slots: Slot[] = [];
    let offset = 0;
    let align = 1;
    for (const [name, type] of Object.entries(fields)) {
      const field = `syscall.${name}`;
      let scalar: SyscallScalar | undefined;
      let count = 1;
      let elem: number;
      if (typeof type === 'string' && Object.hasOwn(SCALAR_SIZE, type)) {
        scalar = type as SyscallScalar;
        elem = SCALAR_SIZE[scalar];
      } else if (
        typeof type === 'object' &&
        type !== null &&
        'bytes' in type &&
        Number.isInteger(type.bytes) &&
        type.bytes > 0
      ) {
        count = type.bytes;
        elem = 1;
      } else if (
        typeof type === 'object' &&
        type !== null &&
        'array' in type &&
        Object.hasOwn(SCALAR_SIZE, type.array) &&
        Number.isInteger(type.length) &&
        type.length > 0
      ) {
        scalar = type.array;
        count = type.length;
        elem = SCALAR_SIZE[scalar];
      } else {
        throw new ValidationError(field, 'field-type', {
          message: `expected u8..u64, s8..s64, ptr, { bytes } or { array, length }, got ${describe(type)}`,
        });
      }
      offset = Math.ceil(offset / elem) * elem;
      align = Math.max(align, elem);
      slots.push({ name, offset, scalar, count, bytes: elem * count });
      offset += elem * count;
      // Checked field by field, so a huge declaration stops at the first field past the limit.
      if (offset > MAX_SYSCALL_CTX) break;
    }
    this.size = Math.ceil(offset / align) * align;
    if (this.size > MAX_SYSCALL_CTX) {
      throw new ValidationError('syscall', 'max-size', {
        message: `struct of ${offset > MAX_SYSCALL_CTX ? 'more than ' : ''}${this.size} bytes exceeds ${MAX_SYSCALL_CTX}`,
        kernelCode: 'EINVAL',
      });
    }
    this.slots = slots;
    this.offsets = Object.fromEntries(slots.map((s) => [s.name, s.offset])) as Record<keyof F, number>;
  }

  /**
   * Encodes the struct for ctx_in; fields not given are 0.
   * @throws ValidationError for an unknown field, a value out of its type's range, or a target before 5.14
   */
  build(values: SyscallStructInput<F> = {}, options: { target?: KernelTarget } = {}): SyscallContext<F> {
    const known = new Set(this.slots.map((s) => s.name));
    const v = ctxOptions<Record<string, unknown>>('syscall', values, known);
    const target = checkTarget(
      ctxOptions<{ target?: KernelTarget }>('options', options, new Set(['target'])).target,
    );
    requireKernel(target, programTypes.SYSCALL.testRun.minKernel, 'syscall', 'a SYSCALL test run');
    const buf = Buffer.alloc(this.size);
    for (const slot of this.slots) {
      const value = v[slot.name];
      if (value === undefined) continue;
      const field = `syscall.${slot.name}`;
      if (slot.scalar === undefined) {
        const bytes = ctxBytes(field, value);
        if (bytes.length > slot.count) {
          throw new ValidationError(field, 'max-bytes', {
            message: `${bytes.length} bytes exceed the field's ${slot.count}`,
          });
        }
        buf.set(bytes, slot.offset);
      } else if (slot.count === 1 && !Array.isArray(value)) {
        writeScalar(buf, slot.offset, slot.scalar, value, field);
      } else {
        if (!Array.isArray(value) || value.length > slot.count) {
          throw new ValidationError(field, 'array', {
            message: `expected up to ${slot.count} elements, got ${describe(value)}`,
          });
        }
        const size = SCALAR_SIZE[slot.scalar];
        for (const [i, e] of value.entries()) {
          writeScalar(buf, slot.offset + i * size, slot.scalar, e, `${field}[${i}]`);
        }
      }
    }
    return new SyscallContext(this, buf);
  }

  /**
   * Decodes struct bytes (the run's ctx_out); shorter buffers are zero-extended.
   * @throws ValidationError when `bytes` is not a Uint8Array
   */
  decode(bytes: Uint8Array): SyscallStructValue<F> {
    const buf = Buffer.from(atLeast(bytes, this.size, 'ctxOut'));
    const out: Record<string, unknown> = {};
    for (const slot of this.slots) {
      if (slot.scalar === undefined)
        out[slot.name] = Uint8Array.from(buf.subarray(slot.offset, slot.offset + slot.count));
      else if (slot.count === 1) out[slot.name] = readScalar(buf, slot.offset, slot.scalar);
      else {
        const size = SCALAR_SIZE[slot.scalar];
        out[slot.name] = Array.from({ length: slot.count }, (_, i) =>
          readScalar(buf, slot.offset + i * size, slot.scalar!),
        );
      }
    }
    return out as SyscallStructValue<F>;
  }
}

/**
 * Describes the argument struct of a SYSCALL program (`SEC("syscall")`), in declaration order.
 *
 * Minimum kernel: 5.14 (SYSCALL test run).
 *
 * @throws ValidationError for an unknown field type or a struct above 65535 bytes
 * @example
 * ```ts
 * const Args = syscallStruct({ fd: 's32', flags: 'u32', result: 'u64' });
 * const { ctx } = prog.run(Args.build({ fd: 3 }));
 * ctx?.result;
 * ```
 */
export function syscallStruct<F extends Record<string, SyscallFieldType>>(fields: F): SyscallStruct<F> {
  return new SyscallStruct(fields);
}
