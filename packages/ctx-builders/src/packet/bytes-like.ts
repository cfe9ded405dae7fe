import { PacketError } from '../errors/packet-error.js';
import { describe } from './field-checks.js';

/**
 * Bytes given to a packet field: a `Uint8Array`/`Buffer`, an array of byte values, or a string (UTF-8).
 */
export type BytesLike = Uint8Array | readonly number[] | string;

/** Converts {@link BytesLike} to a Uint8Array, throwing a `PacketError` naming `field` on bad input. */
export function toBytes(field: string, value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (Array.isArray(value)) {
    const out = new Uint8Array(value.length);
    for (let i = 0; i < value.length; i++) {
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
