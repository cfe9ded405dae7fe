import { PacketError } from '../errors/packet-error.js';
import { toBytes } from './bytes-like.js';
import { checkUint } from './field-checks.js';
import { BYTES, U } from './field-type.js';
import type { LayerCodec } from './layer-codec.js';

/** Raw payload bytes. */
export interface PayloadFields {
  /** The bytes (a string is UTF-8). Default: `size` zero bytes, or none. */
  data: Uint8Array | readonly number[] | string;
}

/** A raw payload as given to the builder. */
export interface PayloadLayer extends Partial<PayloadFields> {
  readonly kind: 'payload';
  /** Number of bytes when `data` is not given (filled with `fill`). */
  size?: number;
  /** Fill byte for `size`. Default 0. */
  fill?: number;
}

/** A decoded payload. */
export interface DecodedPayload {
  readonly kind: 'payload';
  data: Uint8Array;
}

const EMPTY = new Uint8Array(0);

function payloadBytes(layer: PayloadLayer): Uint8Array {
  if (layer.data !== undefined) {
    if (layer.size !== undefined)
      throw new PacketError('payload.size', 'exclusive', 'give data or size, not both');
    return toBytes('payload.data', layer.data);
  }
  if (layer.size === undefined) return EMPTY;
  const size = checkUint('payload.size', layer.size, 16);
  const fill = layer.fill === undefined ? 0 : checkUint('payload.fill', layer.fill, 8);
  return new Uint8Array(size).fill(fill);
}

/** Codec of a raw payload: bytes carried as they are. */
export const payloadCodec: LayerCodec<PayloadLayer> = {
  kind: 'payload',
  fields: { data: BYTES, size: U(16), fill: U(8) },
  length(layer, index, state) {
    const bytes = payloadBytes(layer);
    state.scratch[index] = bytes;
    return bytes.length;
  },
  write(_layer, buf, index, state) {
    buf.set(state.scratch[index] as Uint8Array, state.offsets[index]!);
  },
  decode(bytes, offset, end) {
    const layer: DecodedPayload = { kind: 'payload', data: Uint8Array.from(bytes.subarray(offset, end)) };
    return { layer, length: end - offset, next: undefined };
  },
};
