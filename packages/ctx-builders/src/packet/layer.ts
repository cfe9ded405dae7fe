import type { ArpLayer, DecodedArp } from './arp.js';
import type { DecodedEthernet, EthernetLayer } from './ethernet.js';
import type { DecodedIcmp, IcmpLayer } from './icmp.js';
import type { DecodedIcmpv6, Icmpv6Layer } from './icmpv6.js';
import type { DecodedIpv4, Ipv4Layer } from './ipv4.js';
import type { DecodedIpv6, Ipv6Layer } from './ipv6.js';
import type { DecodedFragment, FragmentLayer } from './ipv6-fragment.js';
import type { DecodedDstOpts, DecodedHopOpts, DstOptsLayer, HopOptsLayer } from './ipv6-options-header.js';
import type { DecodedRouting, RoutingLayer } from './ipv6-routing.js';
import type { DecodedPadding, PaddingLayer } from './padding.js';
import type { DecodedPayload, PayloadLayer } from './payload.js';
import type { DecodedTcp, TcpLayer } from './tcp.js';
import type { DecodedUdp, UdpLayer } from './udp.js';
import type { DecodedVlan, VlanLayer } from './vlan.js';

/** Any layer as given to the packet builder (fields optional, computed when absent). */
export type Layer =
  | EthernetLayer
  | VlanLayer
  | ArpLayer
  | Ipv4Layer
  | Ipv6Layer
  | HopOptsLayer
  | RoutingLayer
  | FragmentLayer
  | DstOptsLayer
  | UdpLayer
  | TcpLayer
  | IcmpLayer
  | Icmpv6Layer
  | PayloadLayer
  | PaddingLayer;

/** Any decoded layer: every field explicit, so encoding it reproduces the bytes it came from. */
export type DecodedLayer =
  | DecodedEthernet
  | DecodedVlan
  | DecodedArp
  | DecodedIpv4
  | DecodedIpv6
  | DecodedHopOpts
  | DecodedRouting
  | DecodedFragment
  | DecodedDstOpts
  | DecodedUdp
  | DecodedTcp
  | DecodedIcmp
  | DecodedIcmpv6
  | DecodedPayload
  | DecodedPadding;

/** The kind names of layers: `eth`, `vlan`, `arp`, `ipv4`, `ipv6`, `hopopts`, ..., `payload`, `padding`. */
export type LayerKind = Layer['kind'];

/** The builder input type of the layer of kind `K`. */
export type LayerOf<K extends LayerKind> = Extract<Layer, { kind: K }>;

/** The decoded type of the layer of kind `K`. */
export type DecodedLayerOf<K extends LayerKind> = Extract<DecodedLayer, { kind: K }>;

/** The fields of a layer of kind `K` as given to the builder (without `kind`). */
export type LayerOptions<K extends LayerKind> = Omit<LayerOf<K>, 'kind'>;
