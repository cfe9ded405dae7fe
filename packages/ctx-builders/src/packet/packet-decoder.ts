import { types } from 'node:util';
import { PacketError } from '../errors/packet-error.js';
import { DecodedPacket } from './decoded-packet.js';
import { describe } from './field-checks.js';
import type { DecodedLayer, LayerKind } from './layer.js';
import type { DecodeState, DecodeStep, LayerCodec } from './layer-codec.js';
import { layerCodecs } from './layer-registry.js';
import type { PacketCheck } from './packet-check.js';
import { paddingCodec } from './padding.js';
import { payloadCodec } from './payload.js';

/** Options of {@link decodePacket}. */
export interface DecodeOptions {
  /**
   * What the first byte starts: `eth` (default), `ip` (IPv4 or IPv6 by the version nibble), or any
   * layer kind.
   */
  first?: LayerKind | 'ip';
}

/**
 * Decodes packet bytes into layers, outermost first. It never throws on packet content: bytes it cannot
 * read as the announced header become a `payload` layer, bytes after an IP datagram a `padding` layer.
 * Encoding the decoded layers reproduces `bytes` exactly.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError only for bad arguments (non-bytes input, unknown `first`)
 */
export function decodePacket(bytes: Uint8Array, options: DecodeOptions = {}): DecodedPacket {
  if (!types.isUint8Array(bytes)) {
    throw new PacketError('bytes', 'bytes', `expected a Uint8Array or Buffer, got ${describe(bytes)}`);
  }
  if (typeof options !== 'object' || options === null)
    throw new PacketError(
      'options',
      'options-object',
      `expected an options object, got ${describe(options)}`,
    );
  const first: unknown = options.first;
  const named: unknown = first === 'ip' ? (bytes[0]! >> 4 === 6 ? 'ipv6' : 'ipv4') : (first ?? 'eth');
  if (typeof named !== 'string' || !Object.hasOwn(layerCodecs, named)) {
    throw new PacketError('first', 'layer-kind', `unknown layer kind ${describe(first)}`);
  }
  let kind: string | undefined = named;
  const layers: DecodedLayer[] = [];
  const offsets: number[] = [];
  const checks: PacketCheck[] = [];
  const seen = new Map<string, number>();
  const state: DecodeState = {
    bytes,
    network: undefined,
    path(k) {
      const n = seen.get(k) ?? 1;
      return n <= 1 ? k : `${k}#${n}`;
    },
  };
  let offset = 0;
  let limit = bytes.length;
  while (kind !== undefined && offset < limit) {
    const codec: LayerCodec = layerCodecs[kind as LayerKind];
    seen.set(kind, (seen.get(kind) ?? 0) + 1);
    const step: DecodeStep | undefined = codec.decode(bytes, offset, limit, state);
    if (!step) {
      seen.set(kind, seen.get(kind)! - 1);
      break;
    }
    layers.push(step.layer as DecodedLayer);
    offsets.push(offset);
    if (step.checks) checks.push(...step.checks);
    offset += step.length;
    if (step.limit !== undefined) limit = Math.max(offset, Math.min(limit, step.limit));
    kind = step.next;
  }
  if (offset < limit) {
    layers.push(payloadCodec.decode(bytes, offset, limit, state)!.layer as DecodedLayer);
    offsets.push(offset);
  }
  if (limit < bytes.length) {
    layers.push(paddingCodec.decode(bytes, limit, bytes.length, state)!.layer as DecodedLayer);
    offsets.push(limit);
  }
  return new DecodedPacket(bytes, layers, offsets, checks);
}
