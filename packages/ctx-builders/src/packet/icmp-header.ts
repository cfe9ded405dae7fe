import { finishChecksum } from './checksum.js';
import { checkUint } from './field-checks.js';
import { U } from './field-type.js';
import { l4ChecksumCheck } from './l4-checksum-check.js';
import type { LayerCodec } from './layer-codec.js';
import { encodePseudoHeaderSum, sumWithoutChecksum } from './pseudo-header.js';

/**
 * ICMP and ICMPv6 header fields: type, code, checksum, then the 4-byte "rest of header", given as
 * identifier and sequence number (for echo messages; for other types they are the two 16-bit halves of
 * that word, e.g. `seq` is the next-hop MTU of "fragmentation needed"). The message body follows as a
 * `payload` layer.
 */
export interface IcmpFields {
  /** Message type. Default 8 (echo request) for ICMP, 128 for ICMPv6. */
  type: number;
  /** Code. Default 0. */
  code: number;
  /** Checksum. Default: computed (ICMPv6 includes the IPv6 pseudo-header). */
  checksum: number;
  /** Upper 16 bits of the rest of the header (echo identifier). Default 0. */
  id: number;
  /** Lower 16 bits of the rest of the header (echo sequence number). Default 0. */
  seq: number;
}

/** Builds the codec of an ICMP-style header (8 bytes). */
export function icmpStyleCodec<K extends 'icmp' | 'icmpv6'>(
  kind: K,
  protocol: number,
  defaultType: number,
  pseudo: boolean,
): LayerCodec<{ readonly kind: K } & Partial<IcmpFields>> {
  return {
    kind,
    fields: { type: U(8), code: U(8), checksum: U(16, true), id: U(16), seq: U(16) },
    ipProtocol: protocol,
    length: () => 8,
    write(layer, buf, index, state) {
      const o = state.offsets[index]!;
      const id = layer.id === undefined ? 0 : checkUint(`${kind}.id`, layer.id, 16);
      const seq = layer.seq === undefined ? 0 : checkUint(`${kind}.seq`, layer.seq, 16);
      const checksum = layer.checksum === undefined ? 0 : checkUint(`${kind}.checksum`, layer.checksum, 16);
      buf[o] = layer.type === undefined ? defaultType : checkUint(`${kind}.type`, layer.type, 8);
      buf[o + 1] = layer.code === undefined ? 0 : checkUint(`${kind}.code`, layer.code, 8);
      buf[o + 2] = checksum >> 8;
      buf[o + 3] = checksum & 0xff;
      buf[o + 4] = id >> 8;
      buf[o + 5] = id & 0xff;
      buf[o + 6] = seq >> 8;
      buf[o + 7] = seq & 0xff;
    },
    finish(layer, buf, index, state) {
      if (layer.checksum !== undefined) return;
      const o = state.offsets[index]!;
      const end = state.contentEnd;
      const partial = pseudo ? encodePseudoHeaderSum(buf, index, state, protocol, end - o) : 0;
      const sum = finishChecksum(sumWithoutChecksum(buf, o, end, o + 2, partial));
      buf[o + 2] = sum >> 8;
      buf[o + 3] = sum & 0xff;
    },
    decode(bytes, offset, end, state) {
      if (end - offset < 8) return undefined;
      const layer = {
        kind,
        type: bytes[offset]!,
        code: bytes[offset + 1]!,
        checksum: (bytes[offset + 2]! << 8) | bytes[offset + 3]!,
        id: (bytes[offset + 4]! << 8) | bytes[offset + 5]!,
        seq: (bytes[offset + 6]! << 8) | bytes[offset + 7]!,
      };
      const checks = [
        l4ChecksumCheck(`${state.path(kind)}.checksum`, bytes, offset, end, 2, protocol, state, { pseudo }),
      ];
      return { layer, length: 8, next: undefined, checks };
    },
  };
}
