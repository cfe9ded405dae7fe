import { PacketError } from '../errors/packet-error.js';
import { checkUint, describe } from '../packet/field-checks.js';

/** A port, or an inclusive range of ports. */
export type PortRange = number | { readonly min: number; readonly max: number };

/** An inclusive range of counts or sizes; either end may be left out. */
export interface SizeRange {
  readonly min?: number;
  readonly max?: number;
}

/**
 * What {@link validPacket} and {@link malformedPacket} generate. Every field is optional; left out, it
 * allows everything the builder builds.
 */
export interface PacketConstraints {
  /** 802.1Q tags after the Ethernet header, 0 to 2 (QinQ). Default 0..2. */
  readonly vlanTags?: SizeRange;
  /** The network layer: `ipv4`, `ipv6`, `arp`. Default all three. */
  readonly network?: readonly ('ipv4' | 'ipv6' | 'arp')[];
  /**
   * What IP carries: `tcp`, `udp`, `icmp` (ICMPv6 over IPv6), or `none` (the payload right after the IP
   * header). Default all four.
   */
  readonly transport?: readonly ('tcp' | 'udp' | 'icmp' | 'none')[];
  /** IPv4 source addresses: prefixes such as `10.0.0.0/8` or addresses. Default any. */
  readonly ipv4Src?: readonly string[];
  /** IPv4 destination addresses, as {@link ipv4Src}. */
  readonly ipv4Dst?: readonly string[];
  /** IPv6 source addresses: prefixes such as `2001:db8::/32` or addresses. Default any. */
  readonly ipv6Src?: readonly string[];
  /** IPv6 destination addresses, as {@link ipv6Src}. */
  readonly ipv6Dst?: readonly string[];
  /** TCP and UDP source ports: ports and ranges. Default any. */
  readonly sport?: PortRange | readonly PortRange[];
  /** TCP and UDP destination ports: ports and ranges. Default any. */
  readonly dport?: PortRange | readonly PortRange[];
  /** IPv4 and TCP options. Default true. */
  readonly options?: boolean;
  /** IPv6 extension headers (destination options, routing, atomic fragment) before the transport. Default true. */
  readonly ipv6ExtensionHeaders?: boolean;
  /** Bytes after the last header. Default 0..64, or 0..1500 when `frameLength` is given. */
  readonly payloadLength?: SizeRange;
  /** Bytes of the whole frame: headers and payload; the payload is sized to fit. Default any. */
  readonly frameLength?: SizeRange;
}

/** Constraints with their defaults, checked. */
export interface CheckedConstraints {
  readonly vlanTags: { min: number; max: number };
  readonly network: readonly ('ipv4' | 'ipv6' | 'arp')[];
  readonly transport: readonly ('tcp' | 'udp' | 'icmp' | 'none')[];
  readonly ipv4Src: readonly string[] | undefined;
  readonly ipv4Dst: readonly string[] | undefined;
  readonly ipv6Src: readonly string[] | undefined;
  readonly ipv6Dst: readonly string[] | undefined;
  readonly sport: readonly { min: number; max: number }[];
  readonly dport: readonly { min: number; max: number }[];
  readonly options: boolean;
  readonly ipv6ExtensionHeaders: boolean;
  readonly payloadLength: { min: number; max: number };
  readonly frameLength: { min: number; max: number };
}

const KNOWN = [
  'vlanTags',
  'network',
  'transport',
  'ipv4Src',
  'ipv4Dst',
  'ipv6Src',
  'ipv6Dst',
  'sport',
  'dport',
  'options',
  'ipv6ExtensionHeaders',
  'payloadLength',
  'frameLength',
] as const satisfies readonly (keyof PacketConstraints)[];

function range(field: string, value: SizeRange | undefined, min: number, max: number) {
  if (value === undefined) return { min, max };
  if (typeof value !== 'object' || value === null) {
    throw new PacketError(field, 'range', `expected { min, max }, got ${describe(value)}`);
  }
  const low = value.min === undefined ? min : checkUint(`${field}.min`, value.min, 16);
  const high = value.max === undefined ? max : checkUint(`${field}.max`, value.max, 16);
  if (low < min || high > max || low > high) {
    throw new PacketError(field, 'range', `expected ${min} <= min <= max <= ${max}, got ${low}..${high}`);
  }
  return { min: low, max: high };
}

function choices<T extends string>(
  field: string,
  value: readonly T[] | undefined,
  all: readonly T[],
): readonly T[] {
  if (value === undefined) return all;
  if (!Array.isArray(value) || value.length === 0) {
    throw new PacketError(
      field,
      'non-empty',
      `expected a non-empty list of ${all.join(', ')}, got ${describe(value)}`,
    );
  }
  for (const [i, item] of value.entries()) {
    if (!all.includes(item)) {
      throw new PacketError(
        `${field}[${i}]`,
        'one-of',
        `expected one of ${all.join(', ')}, got ${describe(item)}`,
      );
    }
  }
  return [...new Set(value)];
}

function ports(field: string, value: PortRange | readonly PortRange[] | undefined) {
  if (value === undefined) return [{ min: 0, max: 0xffff }];
  const list = Array.isArray(value) ? (value as readonly PortRange[]) : [value as PortRange];
  if (list.length === 0) throw new PacketError(field, 'non-empty', 'expected at least one port or range');
  return list.map((item, i) => {
    if (typeof item === 'number') {
      const port = checkUint(`${field}[${i}]`, item, 16);
      return { min: port, max: port };
    }
    return range(`${field}[${i}]`, item, 0, 0xffff);
  });
}

function prefixes(field: string, value: readonly string[] | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string')) {
    throw new PacketError(
      field,
      'non-empty',
      `expected a non-empty list of addresses or prefixes, got ${describe(value)}`,
    );
  }
  return value;
}

function flag(field: string, value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'boolean')
    throw new PacketError(field, 'boolean', `expected true or false, got ${describe(value)}`);
  return value;
}

/**
 * Checks constraints and fills in the defaults.
 * @throws PacketError (`field` `constraints.<name>`) for an unknown name or a value out of its range
 */
export function checkConstraints(constraints: PacketConstraints | undefined): CheckedConstraints {
  const c = constraints ?? {};
  if (typeof c !== 'object' || c === null || Array.isArray(c)) {
    throw new PacketError('constraints', 'options-object', `expected constraints, got ${describe(c)}`);
  }
  for (const key of Object.keys(c)) {
    if (!(KNOWN as readonly string[]).includes(key)) {
      throw new PacketError(
        `constraints.${key}`,
        'unknown-field',
        `unknown constraint; known: ${KNOWN.join(', ')}`,
      );
    }
  }
  return {
    vlanTags: range('constraints.vlanTags', c.vlanTags, 0, 2),
    network: choices('constraints.network', c.network, ['ipv4', 'ipv6', 'arp']),
    transport: choices('constraints.transport', c.transport, ['tcp', 'udp', 'icmp', 'none']),
    ipv4Src: prefixes('constraints.ipv4Src', c.ipv4Src),
    ipv4Dst: prefixes('constraints.ipv4Dst', c.ipv4Dst),
    ipv6Src: prefixes('constraints.ipv6Src', c.ipv6Src),
    ipv6Dst: prefixes('constraints.ipv6Dst', c.ipv6Dst),
    sport: ports('constraints.sport', c.sport),
    dport: ports('constraints.dport', c.dport),
    options: flag('constraints.options', c.options),
    ipv6ExtensionHeaders: flag('constraints.ipv6ExtensionHeaders', c.ipv6ExtensionHeaders),
    payloadLength:
      c.payloadLength === undefined && c.frameLength !== undefined
        ? { min: 0, max: 1500 }
        : range('constraints.payloadLength', c.payloadLength ?? { max: 64 }, 0, 1500),
    frameLength: range('constraints.frameLength', c.frameLength, 0, 0xffff),
  };
}
