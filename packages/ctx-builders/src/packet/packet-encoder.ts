import { PacketError } from '../errors/packet-error.js';
import { describe } from './field-checks.js';
import type { Layer } from './layer.js';
import type { EncodeState, LayerCodec } from './layer-codec.js';
import { codecOf } from './layer-registry.js';

/**
 * Encodes layers (outermost first) into packet bytes. Fields that are not given are computed: lengths,
 * checksums, type and protocol fields from the next layer; given fields are written as they are, so a
 * wrong checksum or length can be built on purpose. Layers must already be validated (see
 * {@link encodePacket} for untrusted input).
 *
 * @throws PacketError when a field value is out of range or malformed
 */
export function encodeValidatedLayers(layers: readonly Layer[]): Buffer {
  const n = layers.length;
  const codecs: LayerCodec[] = new Array(n);
  const state: EncodeState = {
    layers,
    offsets: new Array(n),
    lengths: new Array(n),
    scratch: new Array(n),
    contentEnd: -1,
  };
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const layer = layers[i]!;
    const codec = codecOf(layer.kind, `layers[${i}].kind`);
    codecs[i] = codec;
    state.offsets[i] = offset;
    if (layer.kind === 'padding' && state.contentEnd < 0) state.contentEnd = offset;
    const len = codec.length(layer, i, state, offset);
    state.lengths[i] = len;
    offset += len;
  }
  if (state.contentEnd < 0) state.contentEnd = offset;
  // Every codec writes each byte of its region, so the buffer need not be zeroed.
  const buf = Buffer.allocUnsafe(offset);
  for (let i = 0; i < n; i++) codecs[i]!.write(layers[i]!, buf, i, state);
  for (let i = n - 1; i >= 0; i--) codecs[i]!.finish?.(layers[i]!, buf, i, state);
  return buf;
}

/**
 * Checks that `layer` is an object of a known kind with only that kind's fields.
 *
 * @throws PacketError naming `layers[i]` or the unknown field
 */
export function validateLayerShape(layer: unknown, field: string): asserts layer is Layer {
  if (typeof layer !== 'object' || layer === null || Array.isArray(layer)) {
    throw new PacketError(field, 'layer', `expected a layer object with a kind, got ${describe(layer)}`);
  }
  const kind = (layer as { kind?: unknown }).kind;
  const codec = codecOf(kind, `${field}.kind`);
  for (const key of Object.keys(layer)) {
    if (key !== 'kind' && !Object.hasOwn(codec.fields, key)) {
      throw new PacketError(
        `${String(kind)}.${key}`,
        'unknown-field',
        `unknown field; ${String(kind)} has: ${Object.keys(codec.fields).join(', ')}`,
      );
    }
  }
}

/**
 * Encodes a list of layer objects (outermost first), validating each first. Decoded layers encode back
 * to exactly the bytes they were decoded from.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError for a non-array, an unknown kind or field, or a bad field value
 */
export function encodePacket(layers: readonly Layer[]): Buffer {
  if (!Array.isArray(layers)) {
    throw new PacketError('layers', 'array', `expected an array of layers, got ${describe(layers)}`);
  }
  for (let i = 0; i < layers.length; i++) validateLayerShape(layers[i], `layers[${i}]`);
  return encodeValidatedLayers(layers);
}
