import { PacketError } from '../errors/packet-error.js';
import { checkUint } from './field-checks.js';
import { U } from './field-type.js';
import { decodeIpv6Options, encodeIpv6Options, type Ipv6Option } from './ipv6-options.js';
import type { LayerCodec } from './layer-codec.js';
import { ipProtocolOfNext, kindOfIpProtocol } from './next-header.js';

/** Fields of an IPv6 hop-by-hop or destination options extension header. */
export interface Ipv6OptionsHeaderFields {
  /** Next header. Default: from the next layer. */
  nextHeader: number;
  /** Header length in 8-byte units, not counting the first 8. Default: computed. */
  hdrExtLen: number;
  /** Options (see {@link Ipv6Option}) or raw bytes; padded with Pad1/PadN to 8 bytes. Default: padding only. */
  options: readonly Ipv6Option[] | Uint8Array;
}

/** A hop-by-hop options header as given to the builder. */
export interface HopOptsLayer extends Partial<Ipv6OptionsHeaderFields> {
  readonly kind: 'hopopts';
}

/** A destination options header as given to the builder. */
export interface DstOptsLayer extends Partial<Ipv6OptionsHeaderFields> {
  readonly kind: 'dstopts';
}

/** A decoded hop-by-hop options header. */
export interface DecodedHopOpts extends Ipv6OptionsHeaderFields {
  readonly kind: 'hopopts';
  options: string[] | Uint8Array;
}

/** A decoded destination options header. */
export interface DecodedDstOpts extends Ipv6OptionsHeaderFields {
  readonly kind: 'dstopts';
  options: string[] | Uint8Array;
}

function optionsHeaderCodec<K extends 'hopopts' | 'dstopts'>(
  kind: K,
  protocol: number,
): LayerCodec<{ readonly kind: K } & Partial<Ipv6OptionsHeaderFields>> {
  return {
    kind,
    fields: { nextHeader: U(8), hdrExtLen: U(8), options: { type: 'ipv6-options' } },
    ipProtocol: protocol,
    length(layer, index, state) {
      const bytes = encodeIpv6Options(`${kind}.options`, layer.options ?? []);
      if (bytes.length + 2 > 2048) {
        throw new PacketError(
          `${kind}.options`,
          'max-2048-bytes',
          `header of ${bytes.length + 2} bytes exceeds 2048`,
        );
      }
      state.scratch[index] = bytes;
      return 2 + bytes.length;
    },
    write(layer, buf, index, state) {
      const o = state.offsets[index]!;
      const len = state.lengths[index]!;
      buf[o] =
        layer.nextHeader === undefined
          ? ipProtocolOfNext(index, state)
          : checkUint(`${kind}.nextHeader`, layer.nextHeader, 8);
      buf[o + 1] =
        layer.hdrExtLen === undefined ? len / 8 - 1 : checkUint(`${kind}.hdrExtLen`, layer.hdrExtLen, 8);
      buf.set(state.scratch[index] as Uint8Array, o + 2);
    },
    decode(bytes, offset, end) {
      if (end - offset < 8) return undefined;
      const len = (bytes[offset + 1]! + 1) * 8;
      if (len > end - offset) return undefined;
      const nextHeader = bytes[offset]!;
      const layer = {
        kind,
        nextHeader,
        hdrExtLen: bytes[offset + 1]!,
        options: decodeIpv6Options(bytes.subarray(offset + 2, offset + len)),
      };
      return { layer, length: len, next: kindOfIpProtocol(nextHeader) };
    },
  };
}

/** Codec of the IPv6 hop-by-hop options header (next header 0). */
export const hopOptsCodec = optionsHeaderCodec('hopopts', 0);
/** Codec of the IPv6 destination options header (next header 60). */
export const dstOptsCodec = optionsHeaderCodec('dstopts', 60);
