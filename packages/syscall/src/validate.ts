import { types } from 'node:util';
import { ValidationError } from '@progrun/uapi';
/**
 * Argument checks run before any syscall. Each returns the value in the form the addon takes, or throws
 * a {@link ValidationError} naming the field and the rule.
 * @internal
 */

/** The largest u32. */
export const U32_MAX = 0xffff_ffff;
const U64_MAX = (1n << 64n) - 1n;

/** An integer Number in [min, max]. */
export function integer(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, `an integer in [${min}, ${max === U32_MAX ? '2^32-1' : max}]`, {
      received: value,
    });
  }
  return value;
}

/** An integer in [0, 2^32). */
export function u32(field: string, value: unknown): number {
  return integer(field, value, 0, U32_MAX);
}

/** u32, or `fallback` when undefined. */
export function optionalU32(field: string, value: unknown, fallback = 0): number {
  return value === undefined ? fallback : u32(field, value);
}

/** A u64 as a bigint in [0, 2^64) or a safe integer >= 0; undefined reads as `fallback`. */
export function optionalU64(field: string, value: unknown, fallback: bigint | number = 0): bigint | number {
  if (value === undefined) return fallback;
  if (typeof value === 'bigint') {
    if (value < 0n || value > U64_MAX)
      throw new ValidationError(field, 'a bigint in [0, 2^64)', { received: value });
    return value;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new ValidationError(field, 'a bigint in [0, 2^64) or a safe integer >= 0', { received: value });
}

/** A file descriptor: an integer in [0, 2^31). */
export function fd(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0x7fff_ffff) {
    throw new ValidationError(field, 'a file descriptor (an integer in [0, 2^31))', { received: value });
  }
  return value;
}

/**
 * The fd of an object holding one (a Program, a BpfMap): read once. A missing object, an object without
 * an fd, and a Proxy around a progrun object (whose getters cannot reach its private fd) are
 * ValidationErrors naming `field`.
 */
export function fdOf(field: string, value: unknown, what: string): number {
  let held: unknown;
  if (typeof value === 'object' && value !== null) {
    try {
      held = (value as { fd?: unknown }).fd;
    } catch {
      held = undefined;
    }
  }
  if (typeof held !== 'number')
    throw new ValidationError(field, `${what} (an object with an open fd; not a Proxy around one)`, {
      received: value,
    });
  return fd(`${field}.fd`, held);
}

/** Bytes: a Uint8Array/Buffer, another ArrayBufferView or an ArrayBuffer, viewed as a Uint8Array. */
export function bytes(field: string, value: unknown): Uint8Array {
  // Internal-slot checks: a Proxy around a Buffer is refused here rather than by the addon.
  if (types.isUint8Array(value)) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (types.isArrayBuffer(value)) return new Uint8Array(value);
  throw new ValidationError(field, 'a Uint8Array, Buffer, other ArrayBufferView or ArrayBuffer', {
    received: value,
  });
}

/** bytes(), or undefined when undefined. */
export function optionalBytes(field: string, value: unknown): Uint8Array | undefined {
  return value === undefined ? undefined : bytes(field, value);
}

/** The longest path the kernel takes, in bytes without its NUL (PATH_MAX - 1). */
export const MAX_PATH_BYTES = 4095;

/** A string of at most maxBytes UTF-8 bytes without NUL characters. */
export function string(field: string, value: unknown, maxBytes: number): string {
  if (typeof value !== 'string') throw new ValidationError(field, 'a string', { received: value });
  if (value.includes('\0'))
    throw new ValidationError(field, 'a string without NUL characters', { received: value });
  if (Buffer.byteLength(value) > maxBytes)
    throw new ValidationError(field, `at most ${maxBytes} bytes of UTF-8`, { received: value });
  return value;
}

/** A boolean, or fallback when undefined. */
export function optionalBoolean(field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ValidationError(field, 'a boolean', { received: value });
  return value;
}

/** A command's attr: an object, whose fields are then read and checked one by one. */
export function attr<T extends object>(field: string, value: T): T {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value))
    throw new ValidationError(field, "an object of the command's fields", { received: value });
  return value;
}

/**
 * An options object (or undefined, read as `{}`) whose keys are all known: a misspelt option is an
 * error, not silently ignored.
 */
export function options<T extends object>(
  field: string,
  value: unknown,
  known: readonly (keyof T)[],
): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw new ValidationError(field, 'an options object', { received: value });
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key as keyof T)) {
      throw new ValidationError(`${field}.${key}`, `one of the known options (${known.join(', ')})`);
    }
  }
  return value as Partial<T>;
}

/** One of the listed values. */
export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new ValidationError(field, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, {
      received: value,
    });
  }
  return value as T;
}
