import { type IcmpFields, icmpStyleCodec } from './icmp-header.js';

/** An ICMPv6 header as given to the builder: every field optional. */
export interface Icmpv6Layer extends Partial<IcmpFields> {
  readonly kind: 'icmpv6';
}

/** A decoded ICMPv6 header. */
export interface DecodedIcmpv6 extends IcmpFields {
  readonly kind: 'icmpv6';
}

/** Codec of the ICMPv6 header (RFC 4443; next header 58; checksum includes the IPv6 pseudo-header). */
export const icmpv6Codec = icmpStyleCodec('icmpv6', 58, 128, true);
