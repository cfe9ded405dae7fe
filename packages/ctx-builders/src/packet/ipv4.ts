import { PacketError } from '../errors/packet-error.js';
import { internetChecksum } from './checksum.js';
import { checkUint, describe } from './field-checks.js';
import { IPV4, U } from './field-type.js';
import { formatIpv4, type Ipv4Address, writeIpv4 } from './ipv4-address.js';
import { decodeIpv4Options, encodeIpv4Options, type Ipv4Option } from './ipv4-options.js';
import type { LayerCodec } from './layer-codec.js';
import { ipProtocolOfNext, kindOfIpProtocol } from './next-header.js';
import type { PacketCheck } from './packet-check.js';

/** IPv4 header fields (RFC 791). */
export interface Ipv4Fields {
  /** Version nibble. Default 4. */
  version: number;
  /** Header length in 32-bit words. Default: computed from the options (5 without options). */
  ihl: number;
  /** Differentiated services code point, 0..63. Default 0. */
  dscp: number;
  /** Explicit congestion notification, 0..3. Default 0. */
  ecn: number;
  /** Total length of the datagram. Default: computed (header + everything after it, excluding padding). */
  totalLength: number;
  /** Identification. Default 0. */
  id: number;
  /**
   * Flags, 3 bits: 0x4 reserved ("evil bit"), 0x2 don't fragment, 0x1 more fragments. The builder also
   * accepts text: `DF`, `MF`, `DF|MF`, `RB`. Default 0.
   */
  flags: number;
  /** Fragment offset in 8-byte units. Default 0. */
  fragOffset: number;
  /** Time to live. Default 64. */
  ttl: number;
  /** Protocol of the payload. Default: from the next layer (UDP 17, TCP 6, ICMP 1, ...; 253 for a raw payload). */
  protocol: number;
  /** Header checksum. Default: computed. */
  checksum: number;
  /** Source address. Default `192.0.2.1`. */
  src: Ipv4Address;
  /** Destination address. Default `192.0.2.2`. */
  dst: Ipv4Address;
  /** Options (see {@link Ipv4Option}) or raw option bytes; padded to 4 bytes. Default none. */
  options: readonly Ipv4Option[] | Uint8Array;
}

/** An IPv4 header as given to the builder: every field optional; `flags` may also be text. */
export interface Ipv4Layer extends Partial<Omit<Ipv4Fields, 'flags'>> {
  readonly kind: 'ipv4';
  flags?: number | string;
}

/** A decoded IPv4 header: every field present, addresses as text. */
export interface DecodedIpv4 extends Ipv4Fields {
  readonly kind: 'ipv4';
  src: string;
  dst: string;
  /** Decoded options, or the raw bytes when they are malformed. */
  options: string[] | Uint8Array;
}

const DEFAULT_SRC = new Uint8Array([192, 0, 2, 1]);
const DEFAULT_DST = new Uint8Array([192, 0, 2, 2]);

/** Parses IPv4 flags given as a number or as text (`DF`, `MF`, `RB`, joined by `|` or `+`). */
export function parseIpv4Flags(value: unknown): number {
  if (typeof value === 'number') return checkUint('ipv4.flags', value, 3);
  if (typeof value === 'string') {
    let flags = 0;
    for (const part of value.split(/[|+,]/)) {
      const p = part.trim().toUpperCase();
      if (p === 'DF') flags |= 2;
      else if (p === 'MF') flags |= 1;
      else if (p === 'RB' || p === 'EVIL') flags |= 4;
      else if (p !== '' && p !== '0') {
        throw new PacketError(
          'ipv4.flags',
          'ipv4-flags',
          `unknown flag ${describe(part)}; use DF, MF, RB or a number 0..7`,
        );
      }
    }
    return flags;
  }
  throw new PacketError(
    'ipv4.flags',
    'ipv4-flags',
    `expected a number 0..7 or text like DF|MF, got ${describe(value)}`,
  );
}

/** Text form of IPv4 flags (`DF|MF`, `0` when none). */
export function formatIpv4Flags(flags: number): string {
  const names: string[] = [];
  if (flags & 4) names.push('RB');
  if (flags & 2) names.push('DF');
  if (flags & 1) names.push('MF');
  return names.length ? names.join('|') : '0';
}

/** Codec of the IPv4 header (20 to 60 bytes). */
export const ipv4Codec: LayerCodec<Ipv4Layer> = {
  kind: 'ipv4',
  fields: {
    version: U(4),
    ihl: U(4),
    dscp: U(6),
    ecn: U(2),
    totalLength: U(16),
    id: U(16),
    flags: { type: 'ipv4-flags' },
    fragOffset: U(13),
    ttl: U(8),
    protocol: U(8),
    checksum: U(16, true),
    src: IPV4,
    dst: IPV4,
    options: { type: 'ipv4-options' },
  },
  ipProtocol: 4,
  length(layer, index, state) {
    if (layer.options === undefined) return 20;
    const bytes = encodeIpv4Options(layer.options);
    state.scratch[index] = bytes;
    return 20 + bytes.length;
  },
  write(layer, buf, index, state) {
    const o = state.offsets[index]!;
    const hl = state.lengths[index]!;
    const version = layer.version === undefined ? 4 : checkUint('ipv4.version', layer.version, 4);
    const ihl = layer.ihl === undefined ? hl >> 2 : checkUint('ipv4.ihl', layer.ihl, 4);
    const dscp = layer.dscp === undefined ? 0 : checkUint('ipv4.dscp', layer.dscp, 6);
    const ecn = layer.ecn === undefined ? 0 : checkUint('ipv4.ecn', layer.ecn, 2);
    const total = state.contentEnd - o;
    if (layer.totalLength === undefined && total > 0xffff) {
      throw new PacketError('ipv4.totalLength', 'u16-range', `datagram of ${total} bytes exceeds 65535`);
    }
    const totalLength =
      layer.totalLength === undefined ? total : checkUint('ipv4.totalLength', layer.totalLength, 16);
    const id = layer.id === undefined ? 0 : checkUint('ipv4.id', layer.id, 16);
    const flags = layer.flags === undefined ? 0 : parseIpv4Flags(layer.flags);
    const frag = layer.fragOffset === undefined ? 0 : checkUint('ipv4.fragOffset', layer.fragOffset, 13);
    buf[o] = (version << 4) | ihl;
    buf[o + 1] = (dscp << 2) | ecn;
    buf[o + 2] = totalLength >> 8;
    buf[o + 3] = totalLength & 0xff;
    buf[o + 4] = id >> 8;
    buf[o + 5] = id & 0xff;
    buf[o + 6] = (flags << 5) | (frag >> 8);
    buf[o + 7] = frag & 0xff;
    buf[o + 8] = layer.ttl === undefined ? 64 : checkUint('ipv4.ttl', layer.ttl, 8);
    buf[o + 9] =
      layer.protocol === undefined
        ? ipProtocolOfNext(index, state)
        : checkUint('ipv4.protocol', layer.protocol, 8);
    const checksum = layer.checksum === undefined ? 0 : checkUint('ipv4.checksum', layer.checksum, 16);
    buf[o + 10] = checksum >> 8;
    buf[o + 11] = checksum & 0xff;
    writeIpv4(buf, o + 12, layer.src ?? DEFAULT_SRC, 'ipv4.src');
    writeIpv4(buf, o + 16, layer.dst ?? DEFAULT_DST, 'ipv4.dst');
    if (hl > 20) buf.set(state.scratch[index] as Uint8Array, o + 20);
  },
  finish(layer, buf, index, state) {
    if (layer.checksum !== undefined) return;
    const o = state.offsets[index]!;
    const sum = internetChecksum(buf, o, o + state.lengths[index]!);
    buf[o + 10] = sum >> 8;
    buf[o + 11] = sum & 0xff;
  },
  decode(bytes, offset, end, state) {
    const avail = end - offset;
    if (avail < 20 || bytes[offset]! >> 4 !== 4) return undefined;
    const ihl = bytes[offset]! & 0xf;
    const hl = ihl * 4;
    if (ihl < 5 || hl > avail) return undefined;
    const totalLength = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    const flags = bytes[offset + 6]! >> 5;
    const fragOffset = ((bytes[offset + 6]! & 0x1f) << 8) | bytes[offset + 7]!;
    const protocol = bytes[offset + 9]!;
    const checksum = (bytes[offset + 10]! << 8) | bytes[offset + 11]!;
    const layer: DecodedIpv4 = {
      kind: 'ipv4',
      version: 4,
      ihl,
      dscp: bytes[offset + 1]! >> 2,
      ecn: bytes[offset + 1]! & 3,
      totalLength,
      id: (bytes[offset + 4]! << 8) | bytes[offset + 5]!,
      flags,
      fragOffset,
      ttl: bytes[offset + 8]!,
      protocol,
      checksum,
      src: formatIpv4(bytes, offset + 12),
      dst: formatIpv4(bytes, offset + 16),
      options: hl > 20 ? decodeIpv4Options(bytes.subarray(offset + 20, offset + hl)) : [],
    };
    const path = state.path('ipv4');
    // The stored checksum takes part in the sum: a correct header sums to zero.
    const residue = internetChecksum(bytes, offset, offset + hl);
    const checks: PacketCheck[] = [
      residue === 0
        ? { field: `${path}.checksum`, status: 'valid', actual: checksum, expected: checksum }
        : {
            field: `${path}.checksum`,
            status: 'invalid',
            actual: checksum,
            expected: correctChecksum(bytes, offset, hl),
          },
    ];
    const truncated = totalLength > avail;
    if (totalLength < hl || truncated) {
      checks.push({
        field: `${path}.totalLength`,
        status: 'invalid',
        actual: totalLength,
        note: truncated ? `only ${avail} bytes present` : `shorter than the ${hl}-byte header`,
      });
    } else {
      checks.push({
        field: `${path}.totalLength`,
        status: 'valid',
        actual: totalLength,
        expected: totalLength,
      });
    }
    const limit = offset + Math.min(Math.max(totalLength, hl), avail);
    state.network = {
      version: 4,
      srcOffset: offset + 12,
      dst: bytes,
      dstOffset: offset + 16,
      fragmented: (flags & 1) !== 0 || fragOffset !== 0,
      truncated,
    };
    // Only the first fragment carries the next header.
    const next = fragOffset === 0 ? kindOfIpProtocol(protocol) : undefined;
    return { layer, length: hl, next, limit, checks };
  },
};

function correctChecksum(bytes: Uint8Array, offset: number, hl: number): number {
  const copy = Uint8Array.from(bytes.subarray(offset, offset + hl));
  copy[10] = 0;
  copy[11] = 0;
  return internetChecksum(copy);
}
