import { types } from 'node:util';
import { PacketError } from '../errors/packet-error.js';
import { describe } from './field-checks.js';
import type { Layer } from './layer.js';
import type { EncodeState, LayerCodec } from './layer-codec.js';
import { codecOf, layerCodecs } from './layer-registry.js';

// One state for every build: encoding is synchronous and codecs never encode, so it is never shared.
const state: EncodeState = {
  count: 0,
  kinds: [],
  layers: [],
  offsets: [],
  lengths: [],
  scratch: [],
  contentEnd: 0,
};
const codecs: LayerCodec[] = [];

/**
 * Encodes layers given as kinds and field objects (outermost first) into packet bytes. Fields that are
 * not given are computed: lengths, checksums, type and protocol fields from the next layer; given fields
 * are written as they are, so a wrong checksum or length can be built on purpose. The field objects must
 * already be validated (see {@link encodePacket} for untrusted input).
 *
 * @throws PacketError when a field value is out of range or malformed
 */
export function encodeFields(kinds: readonly string[], fields: readonly object[]): Buffer {
  for (let i = 0; i < kinds.length; i++) codecs[i] = layerCodecs[kinds[i] as Layer['kind']];
  return encodeWithCodecs(kinds, fields, codecs);
}

/** {@link encodeFields} with the codec of every layer already looked up. @internal */
export function encodeWithCodecs(
  kinds: readonly string[],
  layerFields: readonly object[],
  layerCodecList: readonly LayerCodec[],
): Buffer {
  // Codecs take the field objects as their layer type; they never read `kind` from them.
  const fields = layerFields as readonly { readonly kind: string }[];
  const n = kinds.length;
  state.count = n;
  state.contentEnd = -1;
  let offset = 0;
  try {
    for (let i = 0; i < n; i++) {
      const kind = kinds[i]!;
      state.kinds[i] = kind;
      state.layers[i] = fields[i]!;
      state.offsets[i] = offset;
      if (kind === 'padding' && state.contentEnd < 0) state.contentEnd = offset;
      const len = layerCodecList[i]!.length(fields[i]!, i, state, offset);
      state.lengths[i] = len;
      offset += len;
    }
    if (state.contentEnd < 0) state.contentEnd = offset;
    // Every codec writes each byte of its region, so the buffer need not be zeroed.
    const buf = Buffer.allocUnsafe(offset);
    for (let i = 0; i < n; i++) layerCodecList[i]!.write(fields[i]!, buf, i, state);
    for (let i = n - 1; i >= 0; i--) layerCodecList[i]!.finish!(fields[i]!, buf, i, state);
    return buf;
  } finally {
    // Drop references to the caller's objects.
    for (let i = 0; i < n; i++) {
      state.layers[i] = EMPTY;
      state.scratch[i] = undefined;
    }
  }
}

const EMPTY = {};

/**
 * Checks that `fields` is an object with only fields of layer `kind` (`kind` itself aside); returns the
 * kind's codec.
 *
 * @throws PacketError naming `field` or the unknown field
 */
export function validateLayerFields(kind: unknown, fields: unknown, field: string): LayerCodec {
  return validateFieldsOf(codecOf(kind, field), fields, field);
}

/**
 * Checks that `fields` is an object with only fields of `codec` (`kind` aside); returns the codec.
 * @throws PacketError naming `field` or the unknown field
 */
export function validateFieldsOf(codec: LayerCodec, fields: unknown, field: string): LayerCodec {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields) || types.isUint8Array(fields)) {
    throw new PacketError(field, 'layer', `expected a layer object, got ${describe(fields)}`);
  }
  for (const key in fields) {
    if (key !== 'kind' && !Object.hasOwn(codec.fields, key)) {
      throw new PacketError(
        `${codec.kind}.${key}`,
        'unknown-field',
        `unknown field; ${codec.kind} has: ${Object.keys(codec.fields).join(', ')}`,
      );
    }
  }
  return codec;
}

/**
 * Checks a list of layer objects (an array of objects of known kinds with only their kinds' fields) and
 * returns the codec of each.
 * @throws PacketError naming `layers[i]` or the unknown field
 */
export function validateLayerList(layers: unknown): LayerCodec[] {
  // Not a Proxy: an array-like Proxy claiming 2^32-1 layers would be walked for ever.
  if (!Array.isArray(layers) || types.isProxy(layers)) {
    throw new PacketError('layers', 'array', `expected an array of layers, got ${describe(layers)}`);
  }
  return layers.map((layer: unknown, i) => {
    if (typeof layer !== 'object' || layer === null) {
      throw new PacketError(
        `layers[${i}]`,
        'layer',
        `expected a layer object with a kind, got ${describe(layer)}`,
      );
    }
    return validateLayerFields((layer as { kind?: unknown }).kind, layer, `layers[${i}]`);
  });
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
  const list = validateLayerList(layers);
  return encodeWithCodecs(
    list.map((c) => c.kind),
    layers,
    list,
  );
}
