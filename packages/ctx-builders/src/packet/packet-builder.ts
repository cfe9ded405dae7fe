import { PacketError } from '../errors/packet-error.js';
import { describe } from './field-checks.js';
import type { Layer, LayerKind, LayerOptions } from './layer.js';
import { encodeValidatedLayers, validateLayerShape } from './packet-encoder.js';
import type { PayloadLayer } from './payload.js';
import { formatSpec } from './spec-format.js';

type PayloadArgument = Uint8Array | readonly number[] | string | LayerOptions<'payload'>;

function add<K extends LayerKind>(layers: readonly Layer[], kind: K, options: unknown): Layer[] {
  let layer: Layer;
  if (options === undefined || options === null) layer = { kind } as Layer;
  else if (typeof options === 'object' && !Array.isArray(options) && !(options instanceof Uint8Array)) {
    layer = { ...(options as object), kind } as Layer;
  } else {
    throw new PacketError(kind, 'options-object', `expected an options object, got ${describe(options)}`);
  }
  validateLayerShape(layer, kind);
  const out = layers.slice();
  out.push(layer);
  return out;
}

/**
 * An immutable packet under construction: each method returns a new builder with one more layer, so a
 * prefix can be reused as a template. Fields left out are computed when the packet is built (lengths,
 * checksums, EtherType and IP protocol from the next layer, and documented defaults for the rest).
 *
 * @example
 * ```ts
 * const bytes = eth().ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }).udp({ dport: 53 }).payload('hi').build();
 * ```
 */
export class PacketBuilder {
  /** The layers so far, outermost first. */
  readonly layers: readonly Layer[];

  /** @param layers initial layers (validated) */
  constructor(layers: readonly Layer[] = []) {
    if (!Array.isArray(layers))
      throw new PacketError('layers', 'array', `expected an array of layers, got ${describe(layers)}`);
    for (let i = 0; i < layers.length; i++) validateLayerShape(layers[i], `layers[${i}]`);
    this.layers = layers;
  }

  private with(kind: LayerKind, options: unknown): PacketBuilder {
    const next = Object.create(PacketBuilder.prototype) as { layers: readonly Layer[] };
    next.layers = add(this.layers, kind, options);
    return next as PacketBuilder;
  }

  /** Adds an Ethernet II header. @throws PacketError for an unknown field */
  eth(options?: LayerOptions<'eth'>): PacketBuilder {
    return this.with('eth', options);
  }
  /** Adds an 802.1Q tag (two in a row make QinQ, the outer with TPID 0x88a8). @throws PacketError for an unknown field */
  vlan(options?: LayerOptions<'vlan'>): PacketBuilder {
    return this.with('vlan', options);
  }
  /** Adds an ARP message (Ethernet/IPv4). @throws PacketError for an unknown field */
  arp(options?: LayerOptions<'arp'>): PacketBuilder {
    return this.with('arp', options);
  }
  /** Adds an IPv4 header (with options). @throws PacketError for an unknown field */
  ipv4(options?: LayerOptions<'ipv4'>): PacketBuilder {
    return this.with('ipv4', options);
  }
  /** Adds an IPv6 header. @throws PacketError for an unknown field */
  ipv6(options?: LayerOptions<'ipv6'>): PacketBuilder {
    return this.with('ipv6', options);
  }
  /** Adds an IPv6 hop-by-hop options header. @throws PacketError for an unknown field */
  hopopts(options?: LayerOptions<'hopopts'>): PacketBuilder {
    return this.with('hopopts', options);
  }
  /** Adds an IPv6 routing header (default type 4, segment routing). @throws PacketError for an unknown field */
  routing(options?: LayerOptions<'routing'>): PacketBuilder {
    return this.with('routing', options);
  }
  /** Adds an IPv6 fragment header. @throws PacketError for an unknown field */
  fragment(options?: LayerOptions<'fragment'>): PacketBuilder {
    return this.with('fragment', options);
  }
  /** Adds an IPv6 destination options header. @throws PacketError for an unknown field */
  dstopts(options?: LayerOptions<'dstopts'>): PacketBuilder {
    return this.with('dstopts', options);
  }
  /** Adds a UDP header. @throws PacketError for an unknown field */
  udp(options?: LayerOptions<'udp'>): PacketBuilder {
    return this.with('udp', options);
  }
  /** Adds a TCP header (flags, options). @throws PacketError for an unknown field */
  tcp(options?: LayerOptions<'tcp'>): PacketBuilder {
    return this.with('tcp', options);
  }
  /** Adds an ICMP header. @throws PacketError for an unknown field */
  icmp(options?: LayerOptions<'icmp'>): PacketBuilder {
    return this.with('icmp', options);
  }
  /** Adds an ICMPv6 header. @throws PacketError for an unknown field */
  icmpv6(options?: LayerOptions<'icmpv6'>): PacketBuilder {
    return this.with('icmpv6', options);
  }
  /**
   * Adds raw payload bytes: a string (UTF-8), bytes, or `{ size, fill }`.
   * @throws PacketError for a value that is not bytes
   */
  payload(data?: PayloadArgument): PacketBuilder {
    const options: PayloadLayer | undefined =
      typeof data === 'string' || data instanceof Uint8Array || Array.isArray(data)
        ? { kind: 'payload', data: data as Uint8Array }
        : (data as PayloadLayer | undefined);
    return this.with('payload', options);
  }
  /**
   * Adds trailing padding that no length field counts: `{ to: 60 }` pads the frame to 60 bytes.
   * @throws PacketError for an unknown field
   */
  padding(options?: LayerOptions<'padding'>): PacketBuilder {
    return this.with('padding', options);
  }
  /** Adds any layer object (e.g. one taken from a decoded packet). @throws PacketError for a malformed layer */
  layer(layer: Layer): PacketBuilder {
    const kind = (layer as { kind?: unknown } | null)?.kind;
    if (typeof layer !== 'object' || layer === null) {
      throw new PacketError('layer', 'layer', `expected a layer object with a kind, got ${describe(layer)}`);
    }
    return this.with(kind as LayerKind, layer);
  }

  /**
   * Encodes the packet. Each call returns a new Buffer.
   * @throws PacketError for a field value out of range or malformed
   */
  build(): Buffer {
    return encodeValidatedLayers(this.layers);
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
  return new PacketBuilder().eth(options);
}

/** Starts a packet with an IPv4 header (no link layer). @throws PacketError for an unknown field */
export function ipv4(options?: LayerOptions<'ipv4'>): PacketBuilder {
  return new PacketBuilder().ipv4(options);
}

/** Starts a packet with an IPv6 header (no link layer). @throws PacketError for an unknown field */
export function ipv6(options?: LayerOptions<'ipv6'>): PacketBuilder {
  return new PacketBuilder().ipv6(options);
}
