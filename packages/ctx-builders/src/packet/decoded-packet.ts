import type { DecodedLayer, DecodedLayerOf, LayerKind } from './layer.js';
import type { PacketCheck } from './packet-check.js';

/** A packet decoded into layers, with the checks of its checksums and lengths. */
export class DecodedPacket {
  /**
   * @param bytes the bytes that were decoded
   * @param layers decoded layers, outermost first
   * @param offsets start offset of each layer in `bytes`
   * @param checks checksum and length checks, outermost first
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly layers: readonly DecodedLayer[],
    readonly offsets: readonly number[],
    readonly checks: readonly PacketCheck[],
  ) {}

  /** The `occurrence`-th (0-based) layer of `kind`, or undefined. */
  get<K extends LayerKind>(kind: K, occurrence = 0): DecodedLayerOf<K> | undefined {
    let seen = 0;
    for (const layer of this.layers) {
      if (layer.kind === kind && seen++ === occurrence) return layer as DecodedLayerOf<K>;
    }
    return undefined;
  }

  /** The check of `field` (`ipv4.checksum`, `udp#2.length`), or undefined when it was not checked. */
  check(field: string): PacketCheck | undefined {
    return this.checks.find((c) => c.field === field);
  }

  /** True when no check is `invalid`. */
  get valid(): boolean {
    return this.checks.every((c) => c.status !== 'invalid');
  }
}
