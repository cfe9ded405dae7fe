import fc from 'fast-check';
import type { ArpLayer } from '../packet/arp.js';
import type { EthernetLayer } from '../packet/ethernet.js';
import type { IcmpLayer } from '../packet/icmp.js';
import type { Icmpv6Layer } from '../packet/icmpv6.js';
import type { Ipv4Layer } from '../packet/ipv4.js';
import type { Ipv6Layer } from '../packet/ipv6.js';
import type { FragmentLayer } from '../packet/ipv6-fragment.js';
import type { DstOptsLayer } from '../packet/ipv6-options-header.js';
import type { RoutingLayer } from '../packet/ipv6-routing.js';
import type { TcpLayer } from '../packet/tcp.js';
import type { UdpLayer } from '../packet/udp.js';
import type { VlanLayer } from '../packet/vlan.js';
import { addressArbitrary } from './address-arbitrary.js';
import { checkConstraints, type PacketConstraints } from './packet-constraints.js';

const u = (bits: number) => fc.integer({ min: 0, max: 2 ** bits - 1 });
const mac = fc
  .uint8Array({ minLength: 6, maxLength: 6 })
  .map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':'));

function portArbitrary(ranges: readonly { min: number; max: number }[]): fc.Arbitrary<number> {
  const each = ranges.map((r) => fc.integer(r));
  return each.length === 1 ? each[0]! : fc.oneof(...each);
}

/**
 * Ethernet headers: any source and destination MAC; the EtherType follows the next layer.
 *
 * Minimum kernel: none (pure TypeScript).
 */
export function ethernetLayer(): fc.Arbitrary<EthernetLayer> {
  return fc.record({ dst: mac, src: mac }).map((fields) => ({ kind: 'eth', ...fields }));
}

/**
 * 802.1Q tags: any VLAN id, priority and drop-eligible bit.
 *
 * Minimum kernel: none (pure TypeScript).
 */
export function vlanLayer(): fc.Arbitrary<VlanLayer> {
  return fc
    .record({ vid: u(12), pcp: u(3), dei: fc.boolean() }, { requiredKeys: [] })
    .map((fields) => ({ kind: 'vlan', ...fields }));
}

/**
 * ARP requests and replies between any addresses.
 *
 * Minimum kernel: none (pure TypeScript).
 */
export function arpLayer(): fc.Arbitrary<ArpLayer> {
  return fc
    .record({ op: fc.constantFrom(1, 2), sha: mac, spa: fc.ipV4(), tha: mac, tpa: fc.ipV4() })
    .map((fields) => ({ kind: 'arp', ...fields }));
}

const ipv4Option = fc.oneof(
  fc.constant('nop'),
  fc.constant('ra'),
  fc.integer({ min: 1, max: 2 }).map((n) => `rr:${n}`),
);

/**
 * IPv4 headers of first (or only) fragments: addresses from the constraints' prefixes, any TTL, id, DSCP
 * and ECN, DF or no flag, and options unless `options: false`. Lengths, protocol and checksum are the
 * builder's.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError for bad constraints
 */
export function ipv4Layer(constraints?: PacketConstraints): fc.Arbitrary<Ipv4Layer> {
  const c = checkConstraints(constraints);
  return fc
    .record({
      src: addressArbitrary('ipv4', c.ipv4Src, 'constraints.ipv4Src'),
      dst: addressArbitrary('ipv4', c.ipv4Dst, 'constraints.ipv4Dst'),
      ttl: u(8),
      id: u(16),
      dscp: u(6),
      ecn: u(2),
      flags: fc.constantFrom(0, 'DF'),
      options: c.options ? fc.array(ipv4Option, { maxLength: 3 }) : fc.constant([]),
    })
    .map(({ options, ...fields }) => ({
      kind: 'ipv4',
      ...fields,
      ...(options.length > 0 ? { options } : {}),
    }));
}

/**
 * IPv6 headers: addresses from the constraints' prefixes, any hop limit, traffic class and flow label.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError for bad constraints
 */
export function ipv6Layer(constraints?: PacketConstraints): fc.Arbitrary<Ipv6Layer> {
  const c = checkConstraints(constraints);
  return fc
    .record({
      src: addressArbitrary('ipv6', c.ipv6Src, 'constraints.ipv6Src'),
      dst: addressArbitrary('ipv6', c.ipv6Dst, 'constraints.ipv6Dst'),
      hopLimit: u(8),
      trafficClass: u(8),
      flowLabel: u(20),
    })
    .map((fields) => ({ kind: 'ipv6', ...fields }));
}

const ipv6Option = fc.oneof(
  u(16).map((v) => `ra:${v}`),
  fc
    .tuple(fc.integer({ min: 2, max: 255 }), fc.uint8Array({ maxLength: 6 }))
    .map(([kind, data]) => ({ kind, data })),
);

/**
 * Up to three IPv6 extension headers: destination options, routing headers (types 0, 2, 4) and atomic
 * fragment headers (offset 0, no more fragments).
 *
 * Minimum kernel: none (pure TypeScript).
 */
export function ipv6ExtensionHeaders(): fc.Arbitrary<(DstOptsLayer | RoutingLayer | FragmentLayer)[]> {
  return fc.array(
    fc.oneof(
      fc.array(ipv6Option, { maxLength: 3 }).map((options): DstOptsLayer => ({ kind: 'dstopts', options })),
      fc
        .tuple(fc.constantFrom(0, 2, 4), fc.array(fc.ipV6(), { minLength: 1, maxLength: 3 }))
        .map(([routingType, addresses]): RoutingLayer => ({ kind: 'routing', routingType, addresses })),
      u(32).map((id): FragmentLayer => ({ kind: 'fragment', id })),
    ),
    { maxLength: 3 },
  );
}

const tcpOption = fc.oneof(
  fc.constant('nop'),
  u(16).map((v) => `mss:${v}`),
  u(8).map((v) => `wscale:${v}`),
  fc.constant('sackok'),
  fc.tuple(u(32), u(32)).map(([a, b]) => `ts:${a}:${b}`),
  fc.tuple(u(32), u(32)).map(([a, b]) => `sack:${a}-${b}`),
);

/**
 * TCP headers: ports from the constraints, any sequence and acknowledgement numbers, flags, window and
 * urgent pointer, and options unless `options: false`. Data offset and checksum are the builder's.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError for bad constraints
 */
export function tcpLayer(constraints?: PacketConstraints): fc.Arbitrary<TcpLayer> {
  const c = checkConstraints(constraints);
  return fc
    .record({
      sport: portArbitrary(c.sport),
      dport: portArbitrary(c.dport),
      seq: u(32),
      ack: u(32),
      flags: fc.oneof(fc.constantFrom('S', 'SA', 'A', 'PA', 'FA', 'R'), u(9)),
      window: u(16),
      urgent: u(16),
      options: c.options ? fc.array(tcpOption, { maxLength: 3 }) : fc.constant([]),
    })
    .map(({ options, ...fields }) => ({
      kind: 'tcp',
      ...fields,
      ...(options.length > 0 ? { options } : {}),
    }));
}

/**
 * UDP headers: ports from the constraints. Length and checksum are the builder's.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError for bad constraints
 */
export function udpLayer(constraints?: PacketConstraints): fc.Arbitrary<UdpLayer> {
  const c = checkConstraints(constraints);
  return fc
    .record({ sport: portArbitrary(c.sport), dport: portArbitrary(c.dport) })
    .map((fields) => ({ kind: 'udp', ...fields }));
}

/**
 * ICMP headers (ICMPv6 with `v6`): any type, code, identifier and sequence number.
 *
 * Minimum kernel: none (pure TypeScript).
 */
export function icmpLayer(v6: true): fc.Arbitrary<Icmpv6Layer>;
export function icmpLayer(v6?: false): fc.Arbitrary<IcmpLayer>;
export function icmpLayer(v6 = false): fc.Arbitrary<IcmpLayer | Icmpv6Layer> {
  return fc
    .record({ type: u(8), code: u(8), id: u(16), seq: u(16) }, { requiredKeys: [] })
    .map((fields) => ({ kind: v6 ? 'icmpv6' : 'icmp', ...fields }));
}
