import { types } from 'node:util';
import { PacketError } from '../errors/packet-error.js';
import { describe } from './field-checks.js';

/**
 * Bytes given to a packet field: a `Uint8Array`/`Buffer`, an array of byte values, or a string (UTF-8).
 */
export type BytesLike = Uint8Array | readonly number[] | string;

/** The most elements an array of byte values may have (a Uint8Array is not limited). */
const MAX_BYTE_ARRAY = 1 << 20;

/** Converts {@link BytesLike} to a Uint8Array, throwing a `PacketError` naming `field` on bad input. */
export function toBytes(field: string, value: unknown): Uint8Array {
  if (types.isUint8Array(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (Array.isArray(value)) {
    // Read once and bounded before allocating: an array-like Proxy may claim 2^32-1 elements.
    const length: number = value.length;
    if (length > MAX_BYTE_ARRAY)
      throw new PacketError(
        field,
        'max-length',
        `a byte array holds at most ${MAX_BYTE_ARRAY} values; pass a Uint8Array`,
      );
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const b = value[i];
      if (typeof b !== 'number' || !Number.isInteger(b) || b < 0 || b > 255) {
        throw new PacketError(`${field}[${i}]`, 'u8-range', `expected a byte 0..255, got ${describe(b)}`);
      }
      out[i] = b;
    }
    return out;
  }
  throw new PacketError(
    field,
    'bytes',
    `expected bytes (Uint8Array, byte array or string), got ${describe(value)}`,
  );
}
