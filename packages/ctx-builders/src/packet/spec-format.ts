import { types } from 'node:util';
import { PacketError } from '../errors/packet-error.js';
import { describe } from './field-checks.js';
import { formatFieldValue } from './field-format.js';
import type { DecodedLayer, Layer } from './layer.js';
import { layerCodecs } from './layer-registry.js';

/**
 * Formats layers in the spec grammar of `parsePacketSpec`, giving only the fields present in each layer
 * (all of them for decoded layers). Parsing the result builds the same bytes, except for option objects
 * with a `length` override, which have no text form.
 *
 * Minimum kernel: none (pure TypeScript).
 * @throws PacketError when `layers` is not an array (a Proxy around one included) of layer objects of
 *   known kinds, or a field's value cannot be written in a spec.
 */
export function formatSpec(layers: readonly (Layer | DecodedLayer)[]): string {
  const list: unknown = layers;
  if (!Array.isArray(list) || types.isProxy(list))
    throw new PacketError('layers', 'array', `expected an array of layers, got ${describe(layers)}`);
  list.forEach((layer: unknown, i) => {
    const kind = (layer as { kind?: unknown } | null)?.kind;
    if (typeof layer !== 'object' || typeof kind !== 'string' || !Object.hasOwn(layerCodecs, kind))
      throw new PacketError(
        `layers[${i}]`,
        'layer',
        `expected a layer object of a known kind, got ${describe(layer)}`,
      );
  });
  return layers
    .map((layer) => {
      const codec = layerCodecs[layer.kind];
      const args: string[] = [];
      for (const [name, type] of Object.entries(codec.fields)) {
        const value = (layer as unknown as Record<string, unknown>)[name];
        if (value === undefined) continue;
        const text = formatFieldValue(type, value);
        args.push(
          (layer.kind === 'payload' || layer.kind === 'padding') && name === 'data'
            ? text
            : `${name}=${text}`,
        );
      }
      return args.length ? `${layer.kind}(${args.join(',')})` : layer.kind;
    })
    .join('/');
}
