import { PacketError } from '../errors/packet-error.js';
import { checkUint } from './field-checks.js';
import { IPV6, U } from './field-type.js';
import { formatIpv6, type Ipv6Address, writeIpv6 } from './ipv6-address.js';
import type { LayerCodec } from './layer-codec.js';
import { ipProtocolOfNext, kindOfIpProtocol } from './next-header.js';
import type { PacketCheck } from './packet-check.js';

/** IPv6 fixed header fields (RFC 8200). */
export interface Ipv6Fields {
  /** Version nibble. Default 6. */
  version: number;
  /** Traffic class (DSCP and ECN). Default 0. */
  trafficClass: number;
  /** Flow label, 20 bits. Default 0. */
  flowLabel: number;
  /** Payload length (everything after the fixed header). Default: computed. */
  payloadLength: number;
  /** Next header. Default: from the next layer (extension header, UDP 17, TCP 6, ICMPv6 58, ...; 59 when nothing follows). */
  nextHeader: number;
  /** Hop limit. Default 64. */
  hopLimit: number;
  /** Source address. Default `2001:db8::1`. */
  src: Ipv6Address;
  /** Destination address. Default `2001:db8::2`. */
  dst: Ipv6Address;
}

/** An IPv6 header as given to the builder: every field optional. */
export interface Ipv6Layer extends Partial<Ipv6Fields> {
  readonly kind: 'ipv6';
}

/** A decoded IPv6 header: every field present, addresses in RFC 5952 text form. */
export interface DecodedIpv6 extends Ipv6Fields {
  readonly kind: 'ipv6';
  src: string;
  dst: string;
}

const DEFAULT_SRC = Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
const DEFAULT_DST = Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);

/** Codec of the IPv6 fixed header (40 bytes); extension headers are layers of their own. */
export const ipv6Codec: LayerCodec<Ipv6Layer> = {
  kind: 'ipv6',
  fields: {
    version: U(4),
    trafficClass: U(8, true),
    flowLabel: U(20, true),
    payloadLength: U(16),
    nextHeader: U(8),
    hopLimit: U(8),
    src: IPV6,
    dst: IPV6,
  },
  ipProtocol: 41,
  length: () => 40,
  write(layer, buf, index, state) {
    const o = state.offsets[index]!;
    const version = layer.version === undefined ? 6 : checkUint('ipv6.version', layer.version, 4);
    const tc = layer.trafficClass === undefined ? 0 : checkUint('ipv6.trafficClass', layer.trafficClass, 8);
    const fl = layer.flowLabel === undefined ? 0 : checkUint('ipv6.flowLabel', layer.flowLabel, 20);
    const payload = state.contentEnd - o - 40;
    if (layer.payloadLength === undefined && payload > 0xffff) {
      throw new PacketError(
        'ipv6.payloadLength',
        'u16-range',
        `payload of ${payload} bytes exceeds 65535 (jumbograms are not built)`,
      );
    }
    const pl =
      layer.payloadLength === undefined
        ? Math.max(payload, 0)
        : checkUint('ipv6.payloadLength', layer.payloadLength, 16);
    buf[o] = (version << 4) | (tc >> 4);
    buf[o + 1] = ((tc & 0xf) << 4) | (fl >> 16);
    buf[o + 2] = (fl >> 8) & 0xff;
    buf[o + 3] = fl & 0xff;
    buf[o + 4] = pl >> 8;
    buf[o + 5] = pl & 0xff;
    buf[o + 6] =
      layer.nextHeader === undefined
        ? ipProtocolOfNext(index, state)
        : checkUint('ipv6.nextHeader', layer.nextHeader, 8);
    buf[o + 7] = layer.hopLimit === undefined ? 64 : checkUint('ipv6.hopLimit', layer.hopLimit, 8);
    writeIpv6(buf, o + 8, layer.src ?? DEFAULT_SRC, 'ipv6.src');
    writeIpv6(buf, o + 24, layer.dst ?? DEFAULT_DST, 'ipv6.dst');
  },
  decode(bytes, offset, end, state) {
    const avail = end - offset;
    if (avail < 40 || bytes[offset]! >> 4 !== 6) return undefined;
    const payloadLength = (bytes[offset + 4]! << 8) | bytes[offset + 5]!;
    const nextHeader = bytes[offset + 6]!;
    const layer: DecodedIpv6 = {
      kind: 'ipv6',
      version: 6,
      trafficClass: ((bytes[offset]! & 0xf) << 4) | (bytes[offset + 1]! >> 4),
      flowLabel: ((bytes[offset + 1]! & 0xf) << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!,
      payloadLength,
      nextHeader,
      hopLimit: bytes[offset + 7]!,
      src: formatIpv6(bytes, offset + 8),
      dst: formatIpv6(bytes, offset + 24),
    };
    const truncated = payloadLength > avail - 40;
    const check: PacketCheck = truncated
      ? {
          field: `${state.path('ipv6')}.payloadLength`,
          status: 'invalid',
          actual: payloadLength,
          note: `only ${avail - 40} bytes present`,
        }
      : {
          field: `${state.path('ipv6')}.payloadLength`,
          status: 'valid',
          actual: payloadLength,
          expected: payloadLength,
        };
    state.network = {
      version: 6,
      srcOffset: offset + 8,
      dst: bytes,
      dstOffset: offset + 24,
      fragmented: false,
      truncated,
    };
    const limit = offset + 40 + Math.min(payloadLength, avail - 40);
    return { layer, length: 40, next: kindOfIpProtocol(nextHeader), limit, checks: [check] };
  },
};
