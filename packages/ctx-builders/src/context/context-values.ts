import { ContextValidationError } from '../errors/context-validation-error.js';
import { describe } from '../packet/field-checks.js';

/** Throws unless `value` is an integer in `[0, 2^bits)`; returns it. */
export function ctxUint(field: string, value: unknown, bits: number, errno = 'EINVAL'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2 ** bits - 1) {
    throw new ContextValidationError(
      field,
      `u${bits}-range`,
      `expected an integer in 0..${2 ** bits - 1}, got ${describe(value)}`,
      {
        errno,
      },
    );
  }
  return value;
}

/** Throws unless `value` is a non-negative integer below 2^64 (bigint or safe number); returns it as bigint. */
export function ctxU64(field: string, value: unknown): bigint {
  if (typeof value === 'bigint' && value >= 0n && value < 1n << 64n) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw new ContextValidationError(
    field,
    'u64-range',
    `expected a bigint or safe integer in 0..2^64-1, got ${describe(value)}`,
    {
      errno: 'EINVAL',
    },
  );
}

/** Throws unless `value` is a Uint8Array; returns it. */
export function ctxBytes(field: string, value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new ContextValidationError(field, 'bytes', `expected a Uint8Array or Buffer, got ${describe(value)}`);
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
    options instanceof Uint8Array
  ) {
    throw new ContextValidationError(
      prefix,
      'options-object',
      `expected an options object, got ${describe(options)}`,
    );
  }
  for (const key in options) {
    if (!known.has(key)) {
      throw new ContextValidationError(
        `${prefix}.${key}`,
        'unknown-field',
        `not a field this builder sets; known: ${[...known].join(', ')}`,
      );
    }
  }
  return options as T;
}

/** A copy of `bytes` padded with zeros to at least `size` bytes (for ctx_out shorter than the newest struct). */
export function atLeast(bytes: Uint8Array, size: number, field: string): Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new ContextValidationError(
      field,
      'bytes',
      `expected a Uint8Array or Buffer, got ${describe(bytes)}`,
    );
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
    throw new ContextValidationError(
      'packet',
      'min-length',
      `${length} bytes is too short for ${what} (${min})`,
      {
        errno: 'EINVAL',
      },
    );
  }
}
