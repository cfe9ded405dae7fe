/**
 * Link-layer header types of capture files (tcpdump.org LINKTYPE_ values) that packets built here use.
 */
export const LinkType = {
  /** Ethernet II frames (LINKTYPE_ETHERNET). */
  ETHERNET: 1,
  /** Raw IPv4 or IPv6 packets, no link layer (LINKTYPE_RAW). */
  RAW: 101,
  /** Linux cooked capture v1 (LINKTYPE_LINUX_SLL). */
  LINUX_SLL: 113,
  /** Raw IPv4 (LINKTYPE_IPV4). */
  IPV4: 228,
  /** Raw IPv6 (LINKTYPE_IPV6). */
  IPV6: 229,
} as const;

/** One packet of a capture file. */
export interface CapturedPacket {
  /** The captured bytes (at most the snap length). */
  readonly data: Uint8Array;
  /** Capture time in nanoseconds since the Unix epoch. */
  readonly timestampNs: bigint;
  /** Length of the packet on the wire (at least `data.length`). */
  readonly originalLength: number;
  /** Link type of the interface it was captured on. */
  readonly linkType: number;
}

/** The layer kind a link type's packets start with, for `decodePacket`'s `first` option. */
export function firstLayerOf(linkType: number): 'eth' | 'ip' | undefined {
  if (linkType === LinkType.ETHERNET) return 'eth';
  if (linkType === LinkType.RAW || linkType === LinkType.IPV4 || linkType === LinkType.IPV6) return 'ip';
  return undefined;
}
