/**
 * Packets: build them layer by layer (`eth().ipv4().udp().build()`) or from a spec string, decode them into
 * typed layers, check them and diff two of them. Also exported from the package root; this subpath is for
 * code that needs packets without the program contexts.
 *
 * @example
 * ```ts
 * import { decodePacket, eth } from '@progrun/ctx-builders/packet';
 * const frame = eth().ipv4({ ttl: 64 }).udp({ dport: 53 }).build();
 * decodePacket(frame).layers.map((layer) => layer.kind); // ['eth', 'ipv4', 'udp']
 * ```
 */
export { PacketError } from '../errors/packet-error.js';
export { SpecSyntaxError } from '../errors/spec-syntax-error.js';
export type { ArpFields, ArpLayer, DecodedArp } from './arp.js';
export type { BytesLike } from './bytes-like.js';
export { internetChecksum } from './checksum.js';
export { DecodedPacket } from './decoded-packet.js';
export { EtherType, IpProtocol } from './ether-type.js';
export type { DecodedEthernet, EthernetFields, EthernetLayer } from './ethernet.js';
export type { DecodedIcmp, IcmpLayer } from './icmp.js';
export type { IcmpFields } from './icmp-header.js';
export type { DecodedIcmpv6, Icmpv6Layer } from './icmpv6.js';
export type { DecodedIpv4, Ipv4Fields, Ipv4Layer } from './ipv4.js';
export type { Ipv4Address } from './ipv4-address.js';
export type { Ipv4Option } from './ipv4-options.js';
export type { DecodedIpv6, Ipv6Fields, Ipv6Layer } from './ipv6.js';
export type { Ipv6Address } from './ipv6-address.js';
export type { DecodedFragment, FragmentFields, FragmentLayer } from './ipv6-fragment.js';
export type { Ipv6Option } from './ipv6-options.js';
export type {
  DecodedDstOpts,
  DecodedHopOpts,
  DstOptsLayer,
  HopOptsLayer,
  Ipv6OptionsHeaderFields,
} from './ipv6-options-header.js';
export type { DecodedRouting, RoutingFields, RoutingLayer } from './ipv6-routing.js';
export type { DecodedLayer, DecodedLayerOf, Layer, LayerKind, LayerOf, LayerOptions } from './layer.js';
export type { MacAddress } from './mac-address.js';
export { eth, ipv4, ipv6, PacketBuilder, packet } from './packet-builder.js';
export type { PacketCheck } from './packet-check.js';
export { type DecodeOptions, decodePacket } from './packet-decoder.js';
export { diffPackets, type PacketChange, type PacketDiff } from './packet-diff.js';
export { encodePacket } from './packet-encoder.js';
export type { DecodedPadding, PaddingLayer } from './padding.js';
export type { DecodedPayload, PayloadFields, PayloadLayer } from './payload.js';
export { formatSpec } from './spec-format.js';
export { parsePacketSpec } from './spec-parser.js';
export type { DecodedTcp, TcpFields, TcpLayer } from './tcp.js';
export type { TcpOption } from './tcp-options.js';
export type { DecodedUdp, UdpFields, UdpLayer } from './udp.js';
export type { DecodedVlan, VlanFields, VlanLayer } from './vlan.js';
