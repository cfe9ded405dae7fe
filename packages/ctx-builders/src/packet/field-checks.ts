import { types } from 'node:util';
import { PacketError } from '../errors/packet-error.js';

const MAX_UINT = Array.from({ length: 33 }, (_, bits) => 2 ** bits - 1);

/** Throws unless `value` is an integer in `[0, 2^bits)` (bits at most 32); returns it. */
export function checkUint(field: string, value: unknown, bits: number): number {
  if (typeof value === 'number' && value >= 0 && value <= MAX_UINT[bits]! && Math.floor(value) === value)
    return value;
  return uintError(field, value, bits);
}

// Kept out of checkUint so that the hot path stays small enough to inline.
function uintError(field: string, value: unknown, bits: number): never {
  throw new PacketError(
    field,
    `u${bits}-range`,
    `expected an integer in 0..${2 ** bits - 1}, got ${describe(value)}`,
  );
}

/** Throws unless `value` is a boolean; returns it. */
export function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new PacketError(field, 'boolean', `expected true or false, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless `value` is an AbortSignal or undefined; returns it typed. */
export function checkSignal(field: string, value: unknown): AbortSignal | undefined {
  if (value !== undefined && !(value instanceof AbortSignal))
    throw new PacketError(field, 'abort-signal', `expected an AbortSignal, got ${describe(value)}`);
  return value;
}

/** Throws unless `value` is an options object (undefined and null read as `{}`); returns it typed. */
export function optionsObject<T extends object>(field: string, value: unknown): T {
  if (value === undefined || value === null) return {} as T;
  if (typeof value !== 'object' || Array.isArray(value) || types.isUint8Array(value)) {
    throw new PacketError(field, 'options-object', `expected an options object, got ${describe(value)}`);
  }
  return value as T;
}

/** Throws unless `value` is a plain options object (or undefined) of `known` keys only; returns it typed. */
export function checkOptions<T extends object>(field: string, value: unknown, known: readonly string[]): T {
  if (value === undefined || value === null) return {} as T;
  optionsObject(field, value);
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new PacketError(
        `${field}.${key}`,
        'unknown-field',
        `unknown field; known fields: ${known.join(', ')}`,
      );
    }
  }
  return value as T;
}

/** A short, safe description of any value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (types.isUint8Array(value)) return `${value.length} bytes`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return String(value);
}
