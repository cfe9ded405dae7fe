import { PacketError } from '../errors/packet-error.js';
import { toBytes } from './bytes-like.js';
import { checkUint } from './field-checks.js';
import { BYTES, U } from './field-type.js';
import type { LayerCodec } from './layer-codec.js';

/**
 * Trailing bytes that no length field counts: Ethernet padding to the 60-byte minimum, or whatever
 * follows an IP datagram shorter than its frame. IP and L4 lengths and checksums stop where the first
 * padding layer starts.
 */
export interface PaddingLayer {
  readonly kind: 'padding';
  /** The padding bytes. */
  data?: Uint8Array | readonly number[] | string;
  /** Pad the whole packet up to this many bytes with zeros (e.g. 60, the Ethernet minimum without FCS). */
  to?: number;
}

/** Decoded trailing bytes. */
export interface DecodedPadding {
  readonly kind: 'padding';
  data: Uint8Array;
}

/** Codec of trailing padding. */
export const paddingCodec: LayerCodec<PaddingLayer> = {
  kind: 'padding',
  fields: { data: BYTES, to: U(16) },
  length(layer, index, state, offset) {
    if (layer.data !== undefined) {
      if (layer.to !== undefined)
        throw new PacketError('padding.to', 'exclusive', 'give data or to, not both');
      const bytes = toBytes('padding.data', layer.data);
      state.scratch[index] = bytes;
      return bytes.length;
    }
    const to = layer.to === undefined ? 0 : checkUint('padding.to', layer.to, 16);
    const n = Math.max(0, to - offset);
    state.scratch[index] = new Uint8Array(n);
    return n;
  },
  write(_layer, buf, index, state) {
    buf.set(state.scratch[index] as Uint8Array, state.offsets[index]!);
  },
  decode(bytes, offset, end) {
    const layer: DecodedPadding = { kind: 'padding', data: Uint8Array.from(bytes.subarray(offset, end)) };
    return { layer, length: end - offset, next: undefined };
  },
};
