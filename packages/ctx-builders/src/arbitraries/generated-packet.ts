import { toStringMethod } from 'fast-check';
import type { Layer, LayerKind, LayerOf } from '../packet/layer.js';
import { encodePacket } from '../packet/packet-encoder.js';
import { formatSpec } from '../packet/spec-format.js';

/** What is wrong with a malformed packet, by design. */
export interface PacketDefect {
  /**
   * `truncated`: the packet ends inside the header of `layer`; `length`: the length field `field` is wrong;
   * `checksum`: the checksum field `field` is wrong.
   */
  readonly kind: 'truncated' | 'length' | 'checksum';
  /** The layer cut short (`udp`), or the wrong field (`ipv4.totalLength`, `tcp.checksum`). */
  readonly field: string;
}

/**
 * A packet an arbitrary generated: its layers as given to the builder, its bytes, and its spec string, which
 * is how fast-check prints it in a counterexample: `progrun run --packet '<spec>'` and `parsePacketSpec`
 * build the same bytes again.
 *
 * Minimum kernel: none (pure TypeScript).
 */
export class GeneratedPacket {
  #bytes: Buffer | undefined;
  #spec: string | undefined;

  /**
   * @param layers the layers, outermost first, as the builder takes them
   * @param defect for a malformed packet, what is wrong with it
   */
  constructor(
    readonly layers: readonly Layer[],
    readonly defect?: PacketDefect,
  ) {}

  /** The packet's bytes (built once). */
  get bytes(): Buffer {
    this.#bytes ??= encodePacket(this.layers);
    return this.#bytes;
  }

  /** The packet as a spec string, e.g. `eth/ipv4(dst=10.0.0.2)/udp(dport=53)`. */
  get spec(): string {
    this.#spec ??= formatSpec(this.layers);
    return this.#spec;
  }

  /** The first layer of `kind`, as generated, or undefined. */
  layer<K extends LayerKind>(kind: K): LayerOf<K> | undefined {
    return this.layers.find((layer) => layer.kind === kind) as LayerOf<K> | undefined;
  }

  /** The spec string. */
  toString(): string {
    return this.spec;
  }

  /** fast-check prints a counterexample with this: the spec string. */
  [toStringMethod](): string {
    return this.spec;
  }
}
