import { types } from 'node:util';
import { PacketError } from '../errors/packet-error.js';
import { describe } from './field-checks.js';

/** An IPv4 address: dotted quad `'192.0.2.1'` or 4 bytes. */
export type Ipv4Address = string | Uint8Array;

/** Writes an IPv4 address at `offset`; throws a `PacketError` naming `field` if it is malformed. */
export function writeIpv4(buf: Uint8Array, offset: number, value: unknown, field: string): void {
  if (typeof value === 'string') {
    let part = 0;
    let acc = 0;
    let digits = 0;
    let ok = value.length >= 7 && value.length <= 15;
    for (let i = 0; ok && i <= value.length; i++) {
      const c = i === value.length ? 46 : value.charCodeAt(i);
      if (c === 46) {
        if (digits === 0 || acc > 255 || part > 3) ok = false;
        else buf[offset + part++] = acc;
        acc = 0;
        digits = 0;
      } else if (c >= 48 && c <= 57 && digits < 3) {
        // A leading zero followed by more digits is ambiguous (octal in some parsers): rejected.
        if (digits === 1 && acc === 0) ok = false;
        acc = acc * 10 + (c - 48);
        digits++;
      } else ok = false;
    }
    if (ok && part === 4) return;
  } else if (types.isUint8Array(value) && value.length === 4) {
    buf.set(value, offset);
    return;
  }
  throw new PacketError(
    field,
    'ipv4-address',
    `expected an IPv4 address like 192.0.2.1, got ${describe(value)}`,
  );
}

/** Parses an IPv4 address into 4 bytes; throws a `PacketError` naming `field` if it is malformed. */
export function parseIpv4(value: unknown, field: string): Uint8Array {
  const out = new Uint8Array(4);
  writeIpv4(out, 0, value, field);
  return out;
}

/** Formats 4 bytes at `offset` as a dotted quad. */
export function formatIpv4(buf: Uint8Array, offset = 0): string {
  return `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`;
}
