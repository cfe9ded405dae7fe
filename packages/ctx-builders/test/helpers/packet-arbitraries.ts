import fc from 'fast-check';
import type { Layer } from '../../src/index.js';

const mac = fc
  .uint8Array({ minLength: 6, maxLength: 6 })
  .map((b) => Buffer.from(b).toString('hex').match(/../g)!.join(':'));
const u = (bits: number) => fc.integer({ min: 0, max: 2 ** bits - 1 });
const bytes = (max: number) => fc.uint8Array({ maxLength: max });

const tcpOption = fc.oneof(
  fc.constant('nop'),
  u(16).map((v) => `mss:${v}`),
  u(8).map((v) => `wscale:${v}`),
  fc.constant('sackok'),
  fc.tuple(u(32), u(32)).map(([a, b]) => `ts:${a}:${b}`),
  fc.tuple(u(32), u(32)).map(([a, b]) => `sack:${a}-${b}`),
);
const ipv4Option = fc.oneof(
  fc.constant('nop'),
  fc.constant('ra'),
  fc.integer({ min: 1, max: 2 }).map((n) => `rr:${n}`),
);
const ipv6Option = fc.oneof(
  u(16).map((v) => `ra:${v}`),
  fc.tuple(fc.integer({ min: 2, max: 255 }), bytes(6)).map(([k, d]) => ({ kind: k, data: d })),
);

const ipv4Layer = fc.record(
  {
    src: fc.ipV4(),
    dst: fc.ipV4(),
    ttl: u(8),
    id: u(16),
    dscp: u(6),
    ecn: u(2),
    flags: fc.constantFrom(0, 2, 'DF', 'RB'),
    options: fc.array(ipv4Option, { maxLength: 3 }),
  },
  { requiredKeys: [] },
);
const ipv6Layer = fc.record(
  { src: fc.ipV6(), dst: fc.ipV6(), hopLimit: u(8), trafficClass: u(8), flowLabel: u(20) },
  { requiredKeys: [] },
);
const udpLayer = fc.record({ sport: u(16), dport: u(16) }, { requiredKeys: [] });
const tcpLayer = fc.record(
  {
    sport: u(16),
    dport: u(16),
    seq: u(32),
    ack: u(32),
    flags: fc.oneof(u(9), fc.constantFrom('S', 'SA', 'FPA', 'R', '')),
    window: u(16),
    urgent: u(16),
    reserved: u(3),
    options: fc.array(tcpOption, { maxLength: 3 }),
  },
  { requiredKeys: [] },
);
const icmpLayer = fc.record({ type: u(8), code: u(8), id: u(16), seq: u(16) }, { requiredKeys: [] });

const l4v4 = fc.oneof(
  udpLayer.map((o) => ({ kind: 'udp', ...o })),
  tcpLayer.map((o) => ({ kind: 'tcp', ...o })),
  icmpLayer.map((o) => ({ kind: 'icmp', ...o })),
);
const l4v6 = fc.oneof(
  udpLayer.map((o) => ({ kind: 'udp', ...o })),
  tcpLayer.map((o) => ({ kind: 'tcp', ...o })),
  icmpLayer.map((o) => ({ kind: 'icmpv6', ...o })),
);
const extHeaders = fc.array(
  fc.oneof(
    fc.array(ipv6Option, { maxLength: 3 }).map((options) => ({ kind: 'dstopts', options })),
    fc
      .tuple(fc.constantFrom(0, 2, 4), fc.array(fc.ipV6(), { minLength: 1, maxLength: 3 }))
      .map(([routingType, addresses]) => ({ kind: 'routing', routingType, addresses })),
    u(32).map((id) => ({ kind: 'fragment', id })),
  ),
  { maxLength: 3 },
);

/**
 * Random well-formed packets as layer lists: Ethernet with up to two VLAN tags, then ARP, or IPv4/IPv6
 * (IPv6 with extension headers) and an L4 header, and a payload. Structural fields (types, lengths,
 * checksums) are left to the builder.
 */
export const validLayers: fc.Arbitrary<Layer[]> = fc
  .record({
    eth: fc.record({ dst: mac, src: mac }, { requiredKeys: [] }),
    vlans: fc.array(fc.record({ vid: u(12), pcp: u(3), dei: fc.boolean() }, { requiredKeys: [] }), {
      maxLength: 2,
    }),
    net: fc.oneof(
      fc.constant([{ kind: 'arp' }]),
      fc
        .tuple(ipv4Layer, fc.option(l4v4, { nil: undefined }))
        .map(([ip, l4]) => [{ kind: 'ipv4', ...ip }, ...(l4 ? [l4] : [])]),
      fc
        .tuple(ipv6Layer, extHeaders, fc.option(l4v6, { nil: undefined }))
        .map(([ip, ext, l4]) => [{ kind: 'ipv6', ...ip }, ...ext, ...(l4 ? [l4] : [])]),
    ),
    payload: bytes(40),
  })
  .map(({ eth, vlans, net, payload }) => {
    const layers = [
      { kind: 'eth', ...eth },
      ...vlans.map((v) => ({ kind: 'vlan', ...v })),
      ...net,
    ] as Layer[];
    if (payload.length > 0 && net[0]!.kind !== 'arp') layers.push({ kind: 'payload', data: payload });
    return layers;
  });
