/**
 * One consistency check found while decoding a packet: a checksum or a length field compared with what
 * the bytes say.
 *
 * - `valid`: the field matches the bytes.
 * - `invalid`: it does not; `expected` holds the correct value.
 * - `unverified`: it cannot be checked (a fragment, a truncated packet, UDP over IPv4 with checksum 0).
 */
export interface PacketCheck {
  /** Dotted field path, e.g. `ipv4.checksum`, `udp.length`, `ipv4#2.totalLength` for a second header. */
  readonly field: string;
  /** Outcome of the check. */
  readonly status: 'valid' | 'invalid' | 'unverified';
  /** The value found in the packet. */
  readonly actual: number;
  /** The value the field should hold, when it can be computed. */
  readonly expected?: number;
  /** Why the check is unverified or invalid, in words. */
  readonly note?: string;
}
