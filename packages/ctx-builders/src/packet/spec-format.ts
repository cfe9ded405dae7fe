import { formatFieldValue } from './field-format.js';
import type { DecodedLayer, Layer } from './layer.js';
import { layerCodecs } from './layer-registry.js';

/**
 * Formats layers in the spec grammar of `parsePacketSpec`, giving only the fields present in each layer
 * (all of them for decoded layers). Parsing the result builds the same bytes, except for option objects
 * with a `length` override, which have no text form.
 *
 * Minimum kernel: none (pure TypeScript).
 */
export function formatSpec(layers: readonly (Layer | DecodedLayer)[]): string {
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
