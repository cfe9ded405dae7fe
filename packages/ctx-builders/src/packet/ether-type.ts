/**
 * EtherType values the packet builder knows (IEEE registry). `EXPERIMENTAL` (0x88b5, "local experimental
 * EtherType 1") is what an Ethernet or VLAN header announces when a raw payload follows it and no `type`
 * is given.
 */
export const EtherType = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  IPV6: 0x86dd,
  QINQ: 0x88a8,
  VLAN_9100: 0x9100,
  EXPERIMENTAL: 0x88b5,
} as const;

/**
 * IP protocol numbers the packet builder knows (IANA registry). `EXPERIMENTAL` (253, RFC 3692) is what an
 * IP header announces when a raw payload follows it; `NO_NEXT_HEADER` (59) when nothing follows.
 */
export const IpProtocol = {
  HOPOPTS: 0,
  ICMP: 1,
  IPIP: 4,
  TCP: 6,
  UDP: 17,
  IPV6: 41,
  ROUTING: 43,
  FRAGMENT: 44,
  ICMPV6: 58,
  NO_NEXT_HEADER: 59,
  DSTOPTS: 60,
  EXPERIMENTAL: 253,
} as const;
