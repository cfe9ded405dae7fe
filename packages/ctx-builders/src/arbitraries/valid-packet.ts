import fc from 'fast-check';
import { PacketError } from '../errors/packet-error.js';
import type { Layer } from '../packet/layer.js';
import { encodePacket } from '../packet/packet-encoder.js';
import { GeneratedPacket } from './generated-packet.js';
import {
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
import { type CheckedConstraints, checkConstraints, type PacketConstraints } from './packet-constraints.js';

const NETWORK_BYTES = { arp: 28, ipv4: 20, ipv6: 40 } as const;
const TRANSPORT_BYTES = { none: 0, udp: 8, icmp: 8, tcp: 20 } as const;

function transportArbitrary(c: CheckedConstraints, v6: boolean): fc.Arbitrary<Layer[]> {
  const each: Record<CheckedConstraints['transport'][number], fc.Arbitrary<Layer[]>> = {
    tcp: tcpLayer(c).map((l) => [l]),
    udp: udpLayer(c).map((l) => [l]),
    icmp: v6 ? icmpLayer(true).map((l) => [l]) : icmpLayer().map((l) => [l]),
    none: fc.constant([]),
  };
  return fc.oneof(...c.transport.map((name) => each[name]));
}

/** The layers of the headers (Ethernet to transport) that the constraints allow. */
function headersArbitrary(c: CheckedConstraints): fc.Arbitrary<Layer[]> {
  const networks = c.network.map((name): fc.Arbitrary<Layer[]> => {
    if (name === 'arp') return arpLayer().map((l) => [l]);
    if (name === 'ipv4')
      return fc.tuple(ipv4Layer(c), transportArbitrary(c, false)).map(([ip, l4]) => [ip, ...l4]);
    const ext = c.ipv6ExtensionHeaders ? ipv6ExtensionHeaders() : fc.constant([]);
    return fc.tuple(ipv6Layer(c), ext, transportArbitrary(c, true)).map(([ip, e, l4]) => [ip, ...e, ...l4]);
  });
  return fc
    .tuple(
      ethernetLayer(),
      fc.array(vlanLayer(), { minLength: c.vlanTags.min, maxLength: c.vlanTags.max }),
      fc.oneof(...networks),
    )
    .map(([eth, vlans, net]) => [eth, ...vlans, ...net]);
}

function withPayload(layers: Layer[], payload: Uint8Array): GeneratedPacket {
  // ARP has nothing after it.
  if (payload.length === 0 || layers[layers.length - 1]!.kind === 'arp') return new GeneratedPacket(layers);
  return new GeneratedPacket([...layers, { kind: 'payload', data: payload }]);
}

/**
 * Well-formed packets of every layer the builder builds, within the constraints: Ethernet, up to two
 * 802.1Q tags, then ARP, or IPv4 or IPv6 (with extension headers) carrying TCP, UDP, ICMP/ICMPv6 or
 * nothing, then a payload. Lengths, types and checksums are the builder's, so every check of
 * `decodePacket` holds. A counterexample prints as the packet's spec string (`progrun run --packet` takes
 * it); shrinking goes towards fewer layers, fewer options, zero fields and shorter payloads.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError (`constraints.<name>`) for bad constraints, or a frame length no packet of the
 *   constraints can have
 */
export function validPacket(constraints?: PacketConstraints): fc.Arbitrary<GeneratedPacket> {
  const c = checkConstraints(constraints);
  const headers = headersArbitrary(c);
  const payload = c.payloadLength;
  const frame = c.frameLength;
  if (frame.min === 0 && frame.max === 0xffff) {
    return fc
      .tuple(headers, fc.uint8Array({ minLength: payload.min, maxLength: payload.max }))
      .map(([layers, data]) => withPayload(layers, data));
  }
  const smallest =
    14 +
    4 * c.vlanTags.min +
    Math.min(
      ...c.network.map((n) =>
        n === 'arp'
          ? NETWORK_BYTES.arp
          : NETWORK_BYTES[n] + Math.min(...c.transport.map((t) => TRANSPORT_BYTES[t])),
      ),
    );
  if (smallest + payload.min > frame.max) {
    throw new PacketError(
      'constraints.frameLength',
      'range',
      `the smallest frame these constraints allow is ${smallest + payload.min} bytes, above the maximum ${frame.max}`,
    );
  }
  if (frame.min - payload.max > smallest) {
    throw new PacketError(
      'constraints.frameLength',
      'range',
      `frames of at least ${frame.min} bytes need payloads above the maximum ${payload.max}: raise payloadLength.max`,
    );
  }
  return headers
    .chain((layers) => {
      const length = encodePacket(layers).length;
      if (layers[layers.length - 1]!.kind === 'arp') {
        return fc.constant(
          length >= frame.min && length <= frame.max ? new GeneratedPacket(layers) : undefined,
        );
      }
      const min = Math.max(payload.min, frame.min - length);
      const max = Math.min(payload.max, frame.max - length);
      if (min > max) return fc.constant(undefined);
      return fc.uint8Array({ minLength: min, maxLength: max }).map((data) => withPayload(layers, data));
    })
    .filter((packet): packet is GeneratedPacket => packet !== undefined);
}
