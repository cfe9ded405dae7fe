import { type IcmpFields, icmpStyleCodec } from './icmp-header.js';

/** An ICMP (v4) header as given to the builder: every field optional. */
export interface IcmpLayer extends Partial<IcmpFields> {
  readonly kind: 'icmp';
}

/** A decoded ICMP header. */
export interface DecodedIcmp extends IcmpFields {
  readonly kind: 'icmp';
}

/** Codec of the ICMP header (RFC 792; IP protocol 1; checksum over the ICMP message only). */
export const icmpCodec = icmpStyleCodec('icmp', 1, 8, false);
