import { types } from 'node:util';
import { PacketError } from '../errors/packet-error.js';
import { describe } from './field-checks.js';
import type { Layer, LayerKind, LayerOptions } from './layer.js';
import type { LayerCodec } from './layer-codec.js';
import { layerCodecs } from './layer-registry.js';
import {
  encodeWithCodecs,
  validateFieldsOf,
  validateLayerFields,
  validateLayerList,
} from './packet-encoder.js';
import { formatSpec } from './spec-format.js';

type PayloadArgument = Uint8Array | readonly number[] | string | LayerOptions<'payload'>;

const NO_FIELDS: object = Object.freeze({});

/**
 * An immutable packet under construction: each method returns a new builder with one more layer, so a
 * prefix can be reused as a template. Fields left out are computed when the packet is built (lengths,
 * checksums, EtherType and IP protocol from the next layer, and documented defaults for the rest).
 *
 * The options objects given to the methods are kept as they are (not copied): do not change them
 * while the builder is in use.
 *
 * @example
 * ```ts
 * const bytes = eth().ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }).udp({ dport: 53 }).payload('hi').build();
 * ```
 */
export class PacketBuilder {
  // A builder is the last node of a chain back to the first layer: adding a layer allocates one node.
  private readonly kind: LayerKind | undefined;
  private readonly codec: LayerCodec | undefined;
  private readonly fields: object;
  private readonly parent: PacketBuilder | undefined;
  private readonly depth: number;

  /**
   * @param layers initial layers, outermost first
   * @throws PacketError for a malformed layer
   */
  constructor(layers: readonly Layer[] = []) {
    const codecs = validateLayerList(layers);
    let node: PacketBuilder | undefined;
    for (let i = 0; i < codecs.length; i++) node = PacketBuilder.node(codecs[i]!, layers[i]!, node);
    this.kind = node?.kind;
    this.codec = node?.codec;
    this.fields = node?.fields ?? NO_FIELDS;
    this.parent = node?.parent;
    this.depth = node?.depth ?? 0;
  }

  private static node(codec: LayerCodec, fields: object, parent: PacketBuilder | undefined): PacketBuilder {
    const b = Object.create(PacketBuilder.prototype) as {
      kind: LayerKind;
      codec: LayerCodec;
      fields: object;
      parent: PacketBuilder | undefined;
      depth: number;
    };
    b.kind = codec.kind as LayerKind;
    b.codec = codec;
    b.fields = fields;
    b.parent = parent?.depth === 0 ? undefined : parent;
    b.depth = (parent?.depth ?? 0) + 1;
    return b as unknown as PacketBuilder;
  }

  private append(kind: LayerKind, options: unknown): PacketBuilder {
    const codec = layerCodecs[kind];
    if (options === undefined || options === null) return PacketBuilder.node(codec, NO_FIELDS, this);
    return PacketBuilder.node(validateFieldsOf(codec, options, kind), options as object, this);
  }

  /** Kinds, field objects and codecs, outermost first. */
  private collect(): { kinds: LayerKind[]; fields: object[]; codecs: LayerCodec[] } {
    const kinds: LayerKind[] = new Array(this.depth);
    const fields: object[] = new Array(this.depth);
    const codecs: LayerCodec[] = new Array(this.depth);
    let node: PacketBuilder | undefined = this;
    for (let i = this.depth - 1; i >= 0 && node; i--) {
      kinds[i] = node.kind!;
      fields[i] = node.fields;
      codecs[i] = node.codec!;
      node = node.parent;
    }
    return { kinds, fields, codecs };
  }

  /** The layers so far, outermost first (new objects; changing them does not change the builder). */
  get layers(): Layer[] {
    const { kinds, fields } = this.collect();
    return kinds.map((kind, i) => ({ ...fields[i], kind }) as Layer);
  }

  /** Adds an Ethernet II header. @throws PacketError for an unknown field */
  eth(options?: LayerOptions<'eth'>): PacketBuilder {
    return this.append('eth', options);
  }
  /** Adds an 802.1Q tag (two in a row make QinQ, the outer with TPID 0x88a8). @throws PacketError for an unknown field */
  vlan(options?: LayerOptions<'vlan'>): PacketBuilder {
    return this.append('vlan', options);
  }
  /** Adds an ARP message (Ethernet/IPv4). @throws PacketError for an unknown field */
  arp(options?: LayerOptions<'arp'>): PacketBuilder {
    return this.append('arp', options);
  }
  /** Adds an IPv4 header (with options). @throws PacketError for an unknown field */
  ipv4(options?: LayerOptions<'ipv4'>): PacketBuilder {
    return this.append('ipv4', options);
  }
  /** Adds an IPv6 header. @throws PacketError for an unknown field */
  ipv6(options?: LayerOptions<'ipv6'>): PacketBuilder {
    return this.append('ipv6', options);
  }
  /** Adds an IPv6 hop-by-hop options header. @throws PacketError for an unknown field */
  hopopts(options?: LayerOptions<'hopopts'>): PacketBuilder {
    return this.append('hopopts', options);
  }
  /** Adds an IPv6 routing header (default type 4, segment routing). @throws PacketError for an unknown field */
  routing(options?: LayerOptions<'routing'>): PacketBuilder {
    return this.append('routing', options);
  }
  /** Adds an IPv6 fragment header. @throws PacketError for an unknown field */
  fragment(options?: LayerOptions<'fragment'>): PacketBuilder {
    return this.append('fragment', options);
  }
  /** Adds an IPv6 destination options header. @throws PacketError for an unknown field */
  dstopts(options?: LayerOptions<'dstopts'>): PacketBuilder {
    return this.append('dstopts', options);
  }
  /** Adds a UDP header. @throws PacketError for an unknown field */
  udp(options?: LayerOptions<'udp'>): PacketBuilder {
    return this.append('udp', options);
  }
  /** Adds a TCP header (flags, options). @throws PacketError for an unknown field */
  tcp(options?: LayerOptions<'tcp'>): PacketBuilder {
    return this.append('tcp', options);
  }
  /** Adds an ICMP header. @throws PacketError for an unknown field */
  icmp(options?: LayerOptions<'icmp'>): PacketBuilder {
    return this.append('icmp', options);
  }
  /** Adds an ICMPv6 header. @throws PacketError for an unknown field */
  icmpv6(options?: LayerOptions<'icmpv6'>): PacketBuilder {
    return this.append('icmpv6', options);
  }
  /**
   * Adds raw payload bytes: a string (UTF-8), bytes, or `{ data }` / `{ size, fill }`.
   * @throws PacketError for a value that is not bytes or payload options
   */
  payload(data?: PayloadArgument): PacketBuilder {
    const isData = typeof data === 'string' || types.isUint8Array(data) || Array.isArray(data);
    return this.append('payload', isData ? { data } : data);
  }
  /**
   * Adds trailing padding that no length field counts: `{ to: 60 }` pads the frame to 60 bytes.
   * @throws PacketError for an unknown field
   */
  padding(options?: LayerOptions<'padding'>): PacketBuilder {
    return this.append('padding', options);
  }
  /** Adds any layer object (e.g. one taken from a decoded packet). @throws PacketError for a malformed layer */
  layer(layer: Layer): PacketBuilder {
    if (typeof layer !== 'object' || layer === null) {
      throw new PacketError('layer', 'layer', `expected a layer object with a kind, got ${describe(layer)}`);
    }
    return PacketBuilder.node(validateLayerFields(layer.kind, layer, 'layer'), layer, this);
  }

  /**
   * Encodes the packet. Each call returns a new Buffer.
   * @throws PacketError for a field value out of range or malformed
   */
  build(): Buffer {
    const { kinds, fields, codecs } = this.collect();
    return encodeWithCodecs(kinds, fields, codecs);
  }

  /** The layers in the spec string form accepted by `parsePacketSpec` (only the fields that were given). */
  toSpec(): string {
    return formatSpec(this.layers);
  }
}

/** An empty packet builder (start with any layer). */
export function packet(): PacketBuilder {
  return new PacketBuilder();
}

/** Starts a packet with an Ethernet II header. @throws PacketError for an unknown field */
export function eth(options?: LayerOptions<'eth'>): PacketBuilder {
  return EMPTY_BUILDER.eth(options);
}

/** Starts a packet with an IPv4 header (no link layer). @throws PacketError for an unknown field */
export function ipv4(options?: LayerOptions<'ipv4'>): PacketBuilder {
  return EMPTY_BUILDER.ipv4(options);
}

/** Starts a packet with an IPv6 header (no link layer). @throws PacketError for an unknown field */
export function ipv6(options?: LayerOptions<'ipv6'>): PacketBuilder {
  return EMPTY_BUILDER.ipv6(options);
}

const EMPTY_BUILDER = new PacketBuilder();
