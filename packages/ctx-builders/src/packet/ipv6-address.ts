import { types } from 'node:util';
import { PacketError } from '../errors/packet-error.js';
import { describe } from './field-checks.js';
import { writeIpv4 } from './ipv4-address.js';

/** An IPv6 address: text form (`'2001:db8::1'`, `'::ffff:192.0.2.1'`) or 16 bytes. */
export type Ipv6Address = string | Uint8Array;

function parseGroups(text: string, out: number[]): boolean {
  if (text === '') return true;
  for (const g of text.split(':')) {
    if (g.length === 0 || g.length > 4 || !/^[0-9a-fA-F]+$/.test(g)) return false;
    out.push(Number.parseInt(g, 16));
  }
  return true;
}

function tryWrite(buf: Uint8Array, offset: number, value: string): boolean {
  if (value.length < 2 || value.length > 45) return false;
  let text = value;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) > 0) {
    const v4 = new Uint8Array(4);
    try {
      writeIpv4(v4, 0, text.slice(lastColon + 1), 'v4');
    } catch {
      return false;
    }
    tail.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    text = text.slice(0, lastColon + 1);
    // 'a:b::' + v4 leaves 'a:b::' ; 'a:b:' + v4 leaves 'a:b:' which must lose its final colon
    if (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1);
  }
  const gap = text.indexOf('::');
  const head: number[] = [];
  const rest: number[] = [];
  if (gap >= 0) {
    if (text.indexOf('::', gap + 1) >= 0) return false;
    if (!parseGroups(text.slice(0, gap), head) || !parseGroups(text.slice(gap + 2), rest)) return false;
    if (head.length + rest.length + tail.length > 7) return false;
  } else {
    if (!parseGroups(text, head) || head.length + tail.length !== 8) return false;
  }
  const groups = [...head];
  const fill = 8 - head.length - rest.length - tail.length;
  for (let i = 0; i < fill; i++) groups.push(0);
  groups.push(...rest, ...tail);
  for (let i = 0; i < 8; i++) {
    buf[offset + i * 2] = groups[i]! >> 8;
    buf[offset + i * 2 + 1] = groups[i]! & 0xff;
  }
  return true;
}

/** Writes an IPv6 address at `offset`; throws a `PacketError` naming `field` if it is malformed. */
export function writeIpv6(buf: Uint8Array, offset: number, value: unknown, field: string): void {
  if (typeof value === 'string' && tryWrite(buf, offset, value)) return;
  if (types.isUint8Array(value) && value.length === 16) {
    buf.set(value, offset);
    return;
  }
  throw new PacketError(
    field,
    'ipv6-address',
    `expected an IPv6 address like 2001:db8::1, got ${describe(value)}`,
  );
}

/** Parses an IPv6 address into 16 bytes; throws a `PacketError` naming `field` if it is malformed. */
export function parseIpv6(value: unknown, field: string): Uint8Array {
  const out = new Uint8Array(16);
  writeIpv6(out, 0, value, field);
  return out;
}

/** Formats 16 bytes at `offset` in RFC 5952 canonical text form (longest zero run compressed). */
export function formatIpv6(buf: Uint8Array, offset = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((buf[offset + i * 2]! << 8) | buf[offset + i * 2 + 1]!);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number[]) => g.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}
