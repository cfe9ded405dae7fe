/**
 * fast-check arbitraries for property-based tests of BPF programs: valid packets of every layer the builder
 * builds, within constraints, and malformed ones. fast-check is an optional peer dependency of this
 * package: this subpath needs it installed, the rest of the package does not.
 */
export { GeneratedPacket, type PacketDefect } from './generated-packet.js';
export {
  arpLayer,
  ethernetLayer,
  icmpLayer,
  ipv4Layer,
  ipv6ExtensionHeaders,
  ipv6Layer,
  tcpLayer,
  udpLayer,
  vlanLayer,
} from './layer-arbitraries.js';
export { type DefectLayer, type MalformedConstraints, malformedPacket } from './malformed-packet.js';
export type { PacketConstraints, PortRange, SizeRange } from './packet-constraints.js';
export { validPacket } from './valid-packet.js';
