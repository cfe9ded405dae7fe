export { ProgrunError, ValidationError } from '@progrun/uapi';
export * from './context/flow-keys.js';
export type { KernelTarget } from './context/kernel-target.js';
export * from './context/netfilter-hook-state.js';
export * from './context/raw-tracepoint-args.js';
export * from './context/sk-buff.js';
export * from './context/sk-lookup.js';
export * from './context/struct-ops-args.js';
export * from './context/syscall-struct.js';
export { type ProgramTypeContext, testRunInputFor } from './context/test-run-input-for.js';
export type { NoRunOutputs, TestRunOutput } from './context/test-run-output.js';
export { MAX_BPF_FUNC_ARGS, U64ArgsContext } from './context/u64-args.js';
export * from './context/xdp-md.js';
export { PacketError } from './errors/packet-error.js';
export { SpecSyntaxError } from './errors/spec-syntax-error.js';
export type { ArpFields, ArpLayer, DecodedArp } from './packet/arp.js';
export type { BytesLike } from './packet/bytes-like.js';
export { internetChecksum } from './packet/checksum.js';
export * from './packet/decoded-packet.js';
export * from './packet/ether-type.js';
export type { DecodedEthernet, EthernetFields, EthernetLayer } from './packet/ethernet.js';
export type { DecodedIcmp, IcmpLayer } from './packet/icmp.js';
export type { IcmpFields } from './packet/icmp-header.js';
export type { DecodedIcmpv6, Icmpv6Layer } from './packet/icmpv6.js';
export type { DecodedIpv4, Ipv4Fields, Ipv4Layer } from './packet/ipv4.js';
export type { Ipv4Address } from './packet/ipv4-address.js';
export type { Ipv4Option } from './packet/ipv4-options.js';
export type { DecodedIpv6, Ipv6Fields, Ipv6Layer } from './packet/ipv6.js';
export type { Ipv6Address } from './packet/ipv6-address.js';
export type { DecodedFragment, FragmentFields, FragmentLayer } from './packet/ipv6-fragment.js';
export type { Ipv6Option } from './packet/ipv6-options.js';
export type {
  DecodedDstOpts,
  DecodedHopOpts,
  DstOptsLayer,
  HopOptsLayer,
  Ipv6OptionsHeaderFields,
} from './packet/ipv6-options-header.js';
export type { DecodedRouting, RoutingFields, RoutingLayer } from './packet/ipv6-routing.js';
export type * from './packet/layer.js';
export type { MacAddress } from './packet/mac-address.js';
export * from './packet/packet-builder.js';
export * from './packet/packet-check.js';
export * from './packet/packet-decoder.js';
export * from './packet/packet-diff.js';
export { encodePacket } from './packet/packet-encoder.js';
export type { DecodedPadding, PaddingLayer } from './packet/padding.js';
export type { DecodedPayload, PayloadFields, PayloadLayer } from './packet/payload.js';
export * from './packet/spec-format.js';
export * from './packet/spec-parser.js';
export type { DecodedTcp, TcpFields, TcpLayer } from './packet/tcp.js';
export type { TcpOption } from './packet/tcp-options.js';
export type { DecodedUdp, UdpFields, UdpLayer } from './packet/udp.js';
export type { DecodedVlan, VlanFields, VlanLayer } from './packet/vlan.js';
export * from './pcap/capture-reader.js';
export { type CapturedPacket, firstLayerOf, LinkType } from './pcap/link-type.js';
export * from './pcap/pcap-reader.js';
export * from './pcap/pcap-writer.js';
export * from './pcap/pcapng-reader.js';
