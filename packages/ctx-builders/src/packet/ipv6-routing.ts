import { PacketError } from '../errors/packet-error.js';
import { toBytes } from './bytes-like.js';
import { checkUint, describe } from './field-checks.js';
import { BYTES, U } from './field-type.js';
import { formatIpv6, writeIpv6 } from './ipv6-address.js';
import type { LayerCodec } from './layer-codec.js';
import { ipProtocolOfNext, kindOfIpProtocol } from './next-header.js';

/** IPv6 routing header fields (RFC 8200 section 4.4; type 4 is the segment routing header, RFC 8754). */
export interface RoutingFields {
  /** Next header. Default: from the next layer. */
  nextHeader: number;
  /** Header length in 8-byte units, not counting the first 8. Default: computed. */
  hdrExtLen: number;
  /** Routing type. Default 4 (segment routing header). */
  routingType: number;
  /** Segments left. Default: `addresses.length` for types 0 and 2, `addresses.length - 1` for type 4, else 0. */
  segmentsLeft: number;
  /**
   * Addresses in wire order. Types 0 and 2 store them after 4 reserved bytes; type 4 after
   * last-entry, flags and tag (segment list, last segment first). Ignored when `data` is given.
   */
  addresses: readonly string[];
  /** Type-specific data after the first 4 bytes, zero-padded to a multiple of 8 in all. Overrides `addresses`. */
  data: Uint8Array;
}

/** A routing header as given to the builder: every field optional. */
export interface RoutingLayer extends Partial<RoutingFields> {
  readonly kind: 'routing';
}

/** A decoded routing header; `addresses` is filled for types 0, 2 and 4 when the data holds them. */
export interface DecodedRouting extends RoutingFields {
  readonly kind: 'routing';
}

function addressData(type: number, addresses: unknown): Uint8Array {
  if (!Array.isArray(addresses)) {
    throw new PacketError(
      'routing.addresses',
      'ipv6-address-list',
      `expected an array of IPv6 addresses, got ${describe(addresses)}`,
    );
  }
  const n = addresses.length;
  if (type === 4 && (n === 0 || n > 128)) {
    throw new PacketError(
      'routing.addresses',
      'srh-segments',
      'a segment routing header holds 1..128 segments',
    );
  }
  if (n > 127)
    throw new PacketError(
      'routing.addresses',
      'max-127-addresses',
      'a routing header holds at most 127 addresses',
    );
  const out = new Uint8Array(4 + 16 * n);
  if (type === 4) out[0] = n - 1; // last entry; flags and tag stay 0
  for (let i = 0; i < n; i++) writeIpv6(out, 4 + 16 * i, addresses[i], `routing.addresses[${i}]`);
  return out;
}

/** Codec of the IPv6 routing header (next header 43). */
export const routingCodec: LayerCodec<RoutingLayer> = {
  kind: 'routing',
  fields: {
    nextHeader: U(8),
    hdrExtLen: U(8),
    routingType: U(8),
    segmentsLeft: U(8),
    addresses: { type: 'ipv6-list' },
    data: BYTES,
  },
  ipProtocol: 43,
  length(layer, index, state) {
    const type = layer.routingType === undefined ? 4 : checkUint('routing.routingType', layer.routingType, 8);
    const raw =
      layer.data !== undefined
        ? toBytes('routing.data', layer.data)
        : layer.addresses !== undefined
          ? addressData(type, layer.addresses)
          : new Uint8Array(4);
    const size = (4 + raw.length + 7) & ~7;
    if (size > 2048)
      throw new PacketError('routing.data', 'max-2048-bytes', `header of ${size} bytes exceeds 2048`);
    state.scratch[index] = raw;
    return size;
  },
  write(layer, buf, index, state) {
    const o = state.offsets[index]!;
    const len = state.lengths[index]!;
    const type = layer.routingType === undefined ? 4 : layer.routingType;
    let segmentsLeft = 0;
    if (layer.segmentsLeft !== undefined)
      segmentsLeft = checkUint('routing.segmentsLeft', layer.segmentsLeft, 8);
    else if (layer.data === undefined && Array.isArray(layer.addresses)) {
      segmentsLeft =
        type === 4 ? layer.addresses.length - 1 : type === 0 || type === 2 ? layer.addresses.length : 0;
    }
    buf[o] =
      layer.nextHeader === undefined
        ? ipProtocolOfNext(index, state)
        : checkUint('routing.nextHeader', layer.nextHeader, 8);
    buf[o + 1] =
      layer.hdrExtLen === undefined ? len / 8 - 1 : checkUint('routing.hdrExtLen', layer.hdrExtLen, 8);
    buf[o + 2] = type;
    buf[o + 3] = segmentsLeft;
    const raw = state.scratch[index] as Uint8Array;
    buf.set(raw, o + 4);
    buf.fill(0, o + 4 + raw.length, o + len);
  },
  decode(bytes, offset, end, state) {
    if (end - offset < 8) return undefined;
    const len = (bytes[offset + 1]! + 1) * 8;
    if (len > end - offset) return undefined;
    const nextHeader = bytes[offset]!;
    const routingType = bytes[offset + 2]!;
    const segmentsLeft = bytes[offset + 3]!;
    const data = Uint8Array.from(bytes.subarray(offset + 4, offset + len));
    const count = routingAddressCount(bytes, offset, len);
    const addresses: string[] = [];
    for (let i = 0; i < count; i++) addresses.push(formatIpv6(bytes, offset + 8 + 16 * i));
    const finalDst = routingFinalDestination(bytes, offset, len);
    if (finalDst >= 0 && state.network?.version === 6) {
      state.network = { ...state.network, dst: bytes, dstOffset: finalDst };
    }
    const layer: DecodedRouting = {
      kind: 'routing',
      nextHeader,
      hdrExtLen: bytes[offset + 1]!,
      routingType,
      segmentsLeft,
      addresses,
      data,
    };
    return { layer, length: len, next: kindOfIpProtocol(nextHeader) };
  },
};

/** Number of addresses a routing header of type 0, 2 or 4 at `offset` (length `len`) holds; 0 otherwise. */
function routingAddressCount(bytes: Uint8Array, offset: number, len: number): number {
  const slots = Math.floor((len - 8) / 16);
  const type = bytes[offset + 2];
  if (type === 0 || type === 2) return slots;
  if (type === 4 && bytes[offset + 4]! + 1 <= slots) return bytes[offset + 4]! + 1;
  return 0;
}

/**
 * Offset of the final destination a routing header names while segments are left (RFC 8200 section
 * 8.1: L4 checksums use it in the pseudo-header), or -1 when the IPv6 destination is the final one.
 */
export function routingFinalDestination(bytes: Uint8Array, offset: number, len: number): number {
  const count = routingAddressCount(bytes, offset, len);
  if (bytes[offset + 3] === 0 || count === 0) return -1;
  // Type 4 stores the segment list last segment first.
  return bytes[offset + 2] === 4 ? offset + 8 : offset + 8 + 16 * (count - 1);
}
