import { PacketError } from '../errors/packet-error.js';
import { finishChecksum } from './checksum.js';
import { checkUint } from './field-checks.js';
import { U } from './field-type.js';
import { l4ChecksumCheck } from './l4-checksum-check.js';
import type { LayerCodec } from './layer-codec.js';
import type { PacketCheck } from './packet-check.js';
import { encodePseudoHeaderSum, sumWithoutChecksum } from './pseudo-header.js';

/** UDP header fields (RFC 768). */
export interface UdpFields {
  /** Source port. Default 49152. */
  sport: number;
  /** Destination port. Default 9 (discard). */
  dport: number;
  /** Length of header and data. Default: computed. */
  length: number;
  /** Checksum over the IP pseudo-header, header and data. Default: computed (0 is sent as 0xffff). */
  checksum: number;
}

/** A UDP header as given to the builder: every field optional. */
export interface UdpLayer extends Partial<UdpFields> {
  readonly kind: 'udp';
}

/** A decoded UDP header. */
export interface DecodedUdp extends UdpFields {
  readonly kind: 'udp';
}

/** Codec of the UDP header (8 bytes, IP protocol 17). */
export const udpCodec: LayerCodec<UdpLayer> = {
  kind: 'udp',
  fields: { sport: U(16), dport: U(16), length: U(16), checksum: U(16, true) },
  ipProtocol: 17,
  length: () => 8,
  write(layer, buf, index, state) {
    const o = state.offsets[index]!;
    const sport = layer.sport === undefined ? 49152 : checkUint('udp.sport', layer.sport, 16);
    const dport = layer.dport === undefined ? 9 : checkUint('udp.dport', layer.dport, 16);
    const total = state.contentEnd - o;
    if (layer.length === undefined && total > 0xffff) {
      throw new PacketError('udp.length', 'u16-range', `datagram of ${total} bytes exceeds 65535`);
    }
    const length = layer.length === undefined ? total : checkUint('udp.length', layer.length, 16);
    const checksum = layer.checksum === undefined ? 0 : checkUint('udp.checksum', layer.checksum, 16);
    buf[o] = sport >> 8;
    buf[o + 1] = sport & 0xff;
    buf[o + 2] = dport >> 8;
    buf[o + 3] = dport & 0xff;
    buf[o + 4] = length >> 8;
    buf[o + 5] = length & 0xff;
    buf[o + 6] = checksum >> 8;
    buf[o + 7] = checksum & 0xff;
  },
  finish(layer, buf, index, state) {
    if (layer.checksum !== undefined) return;
    const o = state.offsets[index]!;
    const end = state.contentEnd;
    const sum = finishChecksum(
      sumWithoutChecksum(buf, o, end, o + 6, encodePseudoHeaderSum(buf, index, state, 17, end - o)),
    );
    const value = sum === 0 ? 0xffff : sum;
    buf[o + 6] = value >> 8;
    buf[o + 7] = value & 0xff;
  },
  decode(bytes, offset, end, state) {
    if (end - offset < 8) return undefined;
    const length = (bytes[offset + 4]! << 8) | bytes[offset + 5]!;
    const layer: DecodedUdp = {
      kind: 'udp',
      sport: (bytes[offset]! << 8) | bytes[offset + 1]!,
      dport: (bytes[offset + 2]! << 8) | bytes[offset + 3]!,
      length,
      checksum: (bytes[offset + 6]! << 8) | bytes[offset + 7]!,
    };
    const path = state.path('udp');
    const present = end - offset;
    const checks: PacketCheck[] = [
      length === present
        ? { field: `${path}.length`, status: 'valid', actual: length, expected: present }
        : { field: `${path}.length`, status: 'invalid', actual: length, expected: present },
      l4ChecksumCheck(`${path}.checksum`, bytes, offset, end, 6, 17, state, {
        pseudo: true,
        zeroMeansNone: true,
        zeroBecomesOnes: true,
      }),
    ];
    return { layer, length: 8, next: undefined, checks };
  },
};
