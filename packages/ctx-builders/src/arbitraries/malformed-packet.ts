import fc from 'fast-check';
import { PacketError } from '../errors/packet-error.js';
import { describe } from '../packet/field-checks.js';
import type { DecodedLayer, Layer } from '../packet/layer.js';
import { decodePacket } from '../packet/packet-decoder.js';
import { GeneratedPacket, type PacketDefect } from './generated-packet.js';
import type { PacketConstraints } from './packet-constraints.js';
import { validPacket } from './valid-packet.js';

/** The layers a malformed packet may be broken in. */
export type DefectLayer = 'eth' | 'vlan' | 'arp' | 'ipv4' | 'ipv6' | 'tcp' | 'udp' | 'icmp' | 'icmpv6';

/** What {@link malformedPacket} generates: the packets of {@link PacketConstraints}, each broken once. */
export interface MalformedConstraints extends PacketConstraints {
  /** The kinds of defect: `truncated`, `length`, `checksum`. Default all three. */
  readonly defects?: readonly PacketDefect['kind'][];
  /** The layers a defect may be in. Default all. */
  readonly defectLayers?: readonly DefectLayer[];
}

const ALL_DEFECTS: readonly PacketDefect['kind'][] = ['truncated', 'length', 'checksum'];
const ALL_LAYERS: readonly DefectLayer[] = [
  'eth',
  'vlan',
  'arp',
  'ipv4',
  'ipv6',
  'tcp',
  'udp',
  'icmp',
  'icmpv6',
];
const LENGTH_FIELDS: Partial<Record<string, string>> = {
  ipv4: 'totalLength',
  ipv6: 'payloadLength',
  udp: 'length',
};
const CHECKSUM_LAYERS = ['ipv4', 'tcp', 'udp', 'icmp', 'icmpv6'];
// The fields the builder computes from the layers that follow; a truncated packet keeps the values of the
// whole packet it was cut from.
const FOLLOWING: Partial<Record<string, readonly string[]>> = {
  eth: ['type'],
  vlan: ['type'],
  ipv4: ['totalLength', 'protocol'],
  ipv6: ['payloadLength', 'nextHeader'],
  hopopts: ['nextHeader'],
  dstopts: ['nextHeader'],
  routing: ['nextHeader'],
  fragment: ['nextHeader'],
};

interface Candidate {
  readonly kind: PacketDefect['kind'];
  readonly index: number;
}

function pick(decoded: DecodedLayer, fields: readonly string[] | undefined): object {
  const values: Record<string, unknown> = {};
  for (const field of fields ?? []) values[field] = (decoded as unknown as Record<string, unknown>)[field];
  return values;
}

function checkList<T extends string>(
  field: string,
  value: readonly T[] | undefined,
  all: readonly T[],
): readonly T[] {
  if (value === undefined) return all;
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => !all.includes(v))) {
    throw new PacketError(
      field,
      'one-of',
      `expected a non-empty list of ${all.join(', ')}, got ${describe(value)}`,
    );
  }
  return value;
}

// A different 16-bit value; for UDP neither 0 (no checksum over IPv4) nor 0xffff (how 0 is sent).
function wrongChecksum(correct: number, amount: number, udp: boolean): number {
  const value = (correct + 1 + (amount % 0xfffe)) & 0xffff;
  if (udp && (value === 0 || value === 0xffff)) return correct === 0x1234 ? 0x4321 : 0x1234;
  return value;
}

// A length claiming more bytes than the packet has: a shorter one is legal for IP, whose packets may be
// followed by link-layer padding.
function wrongLength(correct: number, amount: number): number {
  return correct + 1 + (amount % (0xffff - correct));
}

function broken(valid: GeneratedPacket, candidate: Candidate, amount: number): GeneratedPacket {
  const { layers } = valid;
  const decoded = decodePacket(valid.bytes);
  const { kind, index } = candidate;
  const layer = layers[index]!;
  if (kind === 'truncated') {
    const start = decoded.offsets[index]!;
    const end = decoded.offsets[index + 1] ?? valid.bytes.length;
    // Ethernet keeps at least a byte: an empty packet has no spec.
    const first = index === 0 ? 1 : 0;
    const cut = first + (amount % (end - start - first));
    const kept = layers
      .slice(0, index)
      .map((l, i) => ({ ...l, ...pick(decoded.layers[i]!, FOLLOWING[l.kind]) }) as Layer);
    const rest = valid.bytes.subarray(start, start + cut);
    return new GeneratedPacket(
      rest.length > 0 ? [...kept, { kind: 'payload', data: Uint8Array.from(rest) }] : kept,
      {
        kind,
        field: layer.kind,
      },
    );
  }
  const field = kind === 'length' ? LENGTH_FIELDS[layer.kind]! : 'checksum';
  const correct = (decoded.layers[index] as unknown as Record<string, number>)[field]!;
  const value =
    kind === 'length' ? wrongLength(correct, amount) : wrongChecksum(correct, amount, layer.kind === 'udp');
  const changed = layers.map((l, i) => (i === index ? ({ ...l, [field]: value } as Layer) : l));
  return new GeneratedPacket(changed, { kind, field: `${layer.kind}.${field}` });
}

/**
 * Malformed packets: a valid packet of the constraints (see {@link validPacket}) broken once, as its
 * `defect` says: cut short inside a header (`truncated`; the headers before it keep the lengths and types
 * of the whole packet), an IPv4 total length, IPv6 payload length or UDP length longer than the packet (`length`), or a wrong
 * IPv4, TCP, UDP, ICMP or ICMPv6 checksum (`checksum`). Every one is still a spec string that
 * `progrun run --packet` builds.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError (`constraints.<name>`) for bad constraints, or constraints whose packets have nothing
 *   to break
 */
export function malformedPacket(constraints?: MalformedConstraints): fc.Arbitrary<GeneratedPacket> {
  const { defects: defectList, defectLayers: layerList, ...packetConstraints } = constraints ?? {};
  const defects = checkList('constraints.defects', defectList, ALL_DEFECTS);
  const where = checkList('constraints.defectLayers', layerList, ALL_LAYERS);
  const valid = validPacket(packetConstraints);
  const network = packetConstraints.network ?? ['ipv4', 'ipv6', 'arp'];
  if (!defects.includes('truncated') && network.every((n) => n === 'arp')) {
    throw new PacketError('constraints.defects', 'one-of', 'ARP packets have no length or checksum to break');
  }
  return valid
    .chain((packet) => {
      const candidates: Candidate[] = [];
      packet.layers.forEach((layer, index) => {
        if (!(where as readonly string[]).includes(layer.kind)) return;
        if (defects.includes('truncated')) candidates.push({ kind: 'truncated', index });
        if (defects.includes('length') && LENGTH_FIELDS[layer.kind])
          candidates.push({ kind: 'length', index });
        if (defects.includes('checksum') && CHECKSUM_LAYERS.includes(layer.kind)) {
          candidates.push({ kind: 'checksum', index });
        }
      });
      if (candidates.length === 0) return fc.constant(undefined);
      return fc
        .tuple(fc.constantFrom(...candidates), fc.nat())
        .map(([candidate, amount]) => broken(packet, candidate, amount));
    })
    .filter((packet): packet is GeneratedPacket => packet !== undefined);
}
