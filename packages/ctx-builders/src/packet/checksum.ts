import { types } from 'node:util';
import { PacketError } from '../errors/packet-error.js';
import { describe } from './field-checks.js';

/**
 * Adds the bytes `[start, end)` of `buf` as big-endian 16-bit words to `sum` (RFC 1071 one's-complement
 * arithmetic, carries folded lazily). An odd final byte is padded with a zero byte.
 *
 * Minimum kernel: none (pure TypeScript).
 */
export function onesComplementAdd(buf: Uint8Array, start: number, end: number, sum = 0): number {
  let s = sum;
  let i = start;
  const last = end - 1;
  for (; i < last; i += 2) {
    s += (buf[i]! << 8) | buf[i + 1]!;
    // Fold before the sum can lose precision (every 2^16 words would be enough; folding early is cheap).
    if (s > 0x7fffffff) s = (s & 0xffff) + (s >>> 16);
  }
  if (i === last) s += buf[i]! << 8;
  return s;
}

/** Folds a one's-complement sum to 16 bits and complements it: the value stored in a checksum field. */
export function finishChecksum(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

/**
 * The Internet checksum (RFC 1071) of `buf[start, end)` plus an optional partial sum (a pseudo-header).
 * A region that already holds its correct checksum yields 0.
 *
 * Minimum kernel: none (pure TypeScript).
 * @throws PacketError when `buf` is not a Uint8Array (a Proxy around one included), `start` and `end` not
 *   integers with 0 <= start <= end <= buf.length, or `partial` not a safe integer >= 0.
 */
export function internetChecksum(buf: Uint8Array, start = 0, end?: number, partial = 0): number {
  if (!types.isUint8Array(buf))
    throw new PacketError('buf', 'bytes', `expected a Uint8Array or Buffer, got ${describe(buf)}`);
  const stop = end ?? buf.length;
  const inside = (n: unknown, min: number) =>
    typeof n === 'number' && Number.isInteger(n) && n >= min && n <= buf.length;
  if (!inside(start, 0) || !inside(stop, start))
    throw new PacketError(
      'start',
      'range',
      `expected 0 <= start <= end <= ${buf.length}, got start ${describe(start)}, end ${describe(end)}`,
    );
  if (typeof partial !== 'number' || !Number.isSafeInteger(partial) || partial < 0)
    throw new PacketError('partial', 'sum', `expected a safe integer >= 0, got ${describe(partial)}`);
  return finishChecksum(onesComplementAdd(buf, start, stop, partial));
}

/**
 * Partial sum of the IPv4 pseudo-header used by UDP and TCP checksums: source and destination addresses
 * at `srcOffset`/`dstOffset` of `buf`, the protocol number and the L4 length.
 */
export function ipv4PseudoHeaderSum(
  buf: Uint8Array,
  srcOffset: number,
  dstOffset: number,
  protocol: number,
  length: number,
): number {
  let s = onesComplementAdd(buf, srcOffset, srcOffset + 4);
  s = onesComplementAdd(buf, dstOffset, dstOffset + 4, s);
  return s + protocol + (length & 0xffff) + Math.floor(length / 0x10000);
}

/**
 * Partial sum of the IPv6 pseudo-header (RFC 8200 section 8.1) used by UDP, TCP and ICMPv6 checksums.
 * `dst` is the final destination (the last segment when a routing header is present).
 */
export function ipv6PseudoHeaderSum(
  src: Uint8Array,
  srcOffset: number,
  dst: Uint8Array,
  dstOffset: number,
  nextHeader: number,
  length: number,
): number {
  let s = onesComplementAdd(src, srcOffset, srcOffset + 16);
  s = onesComplementAdd(dst, dstOffset, dstOffset + 16, s);
  return s + (length & 0xffff) + Math.floor(length / 0x10000) + nextHeader;
}
