import { types } from 'node:util';
import { type ErrnoName, ValidationError } from '@progrun/uapi';
import { describe } from '../packet/field-checks.js';

/** Throws unless `value` is an integer in `[0, 2^bits)`; returns it. */
export function ctxUint(
  field: string,
  value: unknown,
  bits: number,
  kernelCode: ErrnoName = 'EINVAL',
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2 ** bits - 1) {
    throw new ValidationError(field, `u${bits}-range`, {
      message: `expected an integer in 0..${2 ** bits - 1}, got ${describe(value)}`,
      kernelCode,
    });
  }
  return value;
}

/** Throws unless `value` is a non-negative integer below 2^64 (bigint or safe number); returns it as bigint. */
export function ctxU64(field: string, value: unknown): bigint {
  if (typeof value === 'bigint' && value >= 0n && value < 1n << 64n) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw new ValidationError(field, 'u64-range', {
    message: `expected a bigint or safe integer in 0..2^64-1, got ${describe(value)}`,
    kernelCode: 'EINVAL',
  });
}

/** Throws unless `value` is a Uint8Array; returns it. */
export function ctxBytes(field: string, value: unknown): Uint8Array {
  if (types.isUint8Array(value)) return value;
  throw new ValidationError(field, 'bytes', {
    message: `expected a Uint8Array or Buffer, got ${describe(value)}`,
  });
}

/**
 * Throws unless `options` is a plain object whose keys are all in `known`; an unknown key is named in
 * the error with `prefix`.
 */
export function ctxOptions<T extends object>(
  prefix: string,
  options: unknown,
  known: ReadonlySet<string>,
): T {
  if (
    typeof options !== 'object' ||
    options === null ||
    Array.isArray(options) ||
    types.isUint8Array(options)
  ) {
    throw new ValidationError(prefix, 'options-object', {
      message: `expected an options object, got ${describe(options)}`,
    });
  }
  for (const key in options) {
    if (!known.has(key)) {
      throw new ValidationError(`${prefix}.${key}`, 'unknown-field', {
        message: `not a field this builder sets; known: ${[...known].join(', ')}`,
      });
    }
  }
  return options as T;
}

/** A copy of `bytes` padded with zeros to at least `size` bytes (for ctx_out shorter than the newest struct). */
export function atLeast(bytes: Uint8Array, size: number, field: string): Uint8Array {
  if (!types.isUint8Array(bytes)) {
    throw new ValidationError(field, 'bytes', {
      message: `expected a Uint8Array or Buffer, got ${describe(bytes)}`,
    });
  }
  if (bytes.length >= size) return bytes;
  const out = new Uint8Array(size);
  out.set(bytes);
  return out;
}

/**
 * Throws a `min-length` error (EINVAL, as the kernel answers) unless `length` is at least `min`.
 * @param what what the bytes must hold, e.g. `an Ethernet header`
 */
export function ctxMinLength(length: number, min: number, what: string): void {
  if (length < min) {
    throw new ValidationError('packet', 'min-length', {
      message: `${length} bytes is too short for ${what} (${min})`,
      kernelCode: 'EINVAL',
    });
  }
}
