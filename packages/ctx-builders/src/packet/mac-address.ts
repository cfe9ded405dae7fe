import { types } from 'node:util';
import { PacketError } from '../errors/packet-error.js';
import { describe } from './field-checks.js';

/** A MAC address: `'02:00:00:00:00:01'` (also `-` separated) or 6 bytes. */
export type MacAddress = string | Uint8Array;

function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Writes a MAC address at `offset`; throws a `PacketError` naming `field` if it is malformed. */
export function writeMac(buf: Uint8Array, offset: number, value: unknown, field: string): void {
  if (typeof value === 'string') {
    if (value.length === 17) {
      let ok = true;
      for (let i = 0; i < 6; i++) {
        const p = i * 3;
        const hi = hexNibble(value.charCodeAt(p));
        const lo = hexNibble(value.charCodeAt(p + 1));
        const sep = i < 5 ? value.charCodeAt(p + 2) : 58;
        if (hi < 0 || lo < 0 || (sep !== 58 && sep !== 45)) {
          ok = false;
          break;
        }
        buf[offset + i] = (hi << 4) | lo;
      }
      if (ok) return;
    }
  } else if (types.isUint8Array(value) && value.length === 6) {
    // A byte loop beats TypedArray#set for 6 bytes.
    for (let i = 0; i < 6; i++) buf[offset + i] = value[i]!;
    return;
  }
  throw new PacketError(
    field,
    'mac-address',
    `expected a MAC address like 02:00:00:00:00:01, got ${describe(value)}`,
  );
}

/** Parses a MAC address into 6 bytes; throws a `PacketError` naming `field` if it is malformed. */
export function parseMac(value: unknown, field: string): Uint8Array {
  const out = new Uint8Array(6);
  writeMac(out, 0, value, field);
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Formats 6 bytes at `offset` as `aa:bb:cc:dd:ee:ff`. */
export function formatMac(buf: Uint8Array, offset = 0): string {
  return `${HEX[buf[offset]!]}:${HEX[buf[offset + 1]!]}:${HEX[buf[offset + 2]!]}:${HEX[buf[offset + 3]!]}:${HEX[buf[offset + 4]!]}:${HEX[buf[offset + 5]!]}`;
}
