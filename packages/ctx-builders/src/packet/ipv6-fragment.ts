import { checkBoolean, checkUint } from './field-checks.js';
import { BOOL, U } from './field-type.js';
import type { LayerCodec } from './layer-codec.js';
import { ipProtocolOfNext, kindOfIpProtocol } from './next-header.js';

/** IPv6 fragment header fields (RFC 8200 section 4.5). */
export interface FragmentFields {
  /** Next header. Default: from the next layer. */
  nextHeader: number;
  /** Reserved byte. Default 0. */
  reserved: number;
  /** Fragment offset in 8-byte units. Default 0. */
  fragOffset: number;
  /** The two reserved bits after the offset. Default 0. */
  res: number;
  /** More fragments. Default false. */
  more: boolean;
  /** Identification. Default 0. */
  id: number;
}

/** A fragment header as given to the builder: every field optional. */
export interface FragmentLayer extends Partial<FragmentFields> {
  readonly kind: 'fragment';
}

/** A decoded fragment header. */
export interface DecodedFragment extends FragmentFields {
  readonly kind: 'fragment';
}

/** Codec of the IPv6 fragment header (8 bytes, next header 44). */
export const fragmentCodec: LayerCodec<FragmentLayer> = {
  kind: 'fragment',
  fields: { nextHeader: U(8), reserved: U(8), fragOffset: U(13), res: U(2), more: BOOL, id: U(32, true) },
  ipProtocol: 44,
  length: () => 8,
  write(layer, buf, index, state) {
    const o = state.offsets[index]!;
    const off = layer.fragOffset === undefined ? 0 : checkUint('fragment.fragOffset', layer.fragOffset, 13);
    const res = layer.res === undefined ? 0 : checkUint('fragment.res', layer.res, 2);
    const more = layer.more === undefined ? false : checkBoolean('fragment.more', layer.more);
    const id = layer.id === undefined ? 0 : checkUint('fragment.id', layer.id, 32);
    buf[o] =
      layer.nextHeader === undefined
        ? ipProtocolOfNext(index, state)
        : checkUint('fragment.nextHeader', layer.nextHeader, 8);
    buf[o + 1] = layer.reserved === undefined ? 0 : checkUint('fragment.reserved', layer.reserved, 8);
    const word = (off << 3) | (res << 1) | (more ? 1 : 0);
    buf[o + 2] = word >> 8;
    buf[o + 3] = word & 0xff;
    buf[o + 4] = id >>> 24;
    buf[o + 5] = (id >>> 16) & 0xff;
    buf[o + 6] = (id >>> 8) & 0xff;
    buf[o + 7] = id & 0xff;
  },
  decode(bytes, offset, end, state) {
    if (end - offset < 8) return undefined;
    const nextHeader = bytes[offset]!;
    const word = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    const layer: DecodedFragment = {
      kind: 'fragment',
      nextHeader,
      reserved: bytes[offset + 1]!,
      fragOffset: word >> 3,
      res: (word >> 1) & 3,
      more: (word & 1) !== 0,
      id:
        ((bytes[offset + 4]! << 24) |
          (bytes[offset + 5]! << 16) |
          (bytes[offset + 6]! << 8) |
          bytes[offset + 7]!) >>>
        0,
    };
    if (state.network && (layer.more || layer.fragOffset !== 0))
      state.network = { ...state.network, fragmented: true };
    return { layer, length: 8, next: layer.fragOffset === 0 ? kindOfIpProtocol(nextHeader) : undefined };
  },
};
