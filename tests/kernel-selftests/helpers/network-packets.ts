/**
 * The test vectors of the selftests' network_helpers.c, byte for byte: `pkt_v4` (struct ipv4_packet:
 * ethhdr, iphdr, tcphdr, packed) and `pkt_v6` (ethhdr, ipv6hdr, tcphdr). Both have tot_len/payload_len
 * MAGIC_BYTES (123) in network order and tcp.urg_ptr 123 in host order, as the C initialisers write them.
 */
export const MAGIC_BYTES = 123;

function tcpHeader(): Buffer {
  const tcp = Buffer.alloc(20);
  tcp[12] = 5 << 4; // doff 5 (the high nibble: res1:4 comes first in a little-endian bitfield)
  tcp.writeUInt16LE(123, 18); // urg_ptr, host order
  return tcp;
}

/** `pkt_v4`: 54 bytes, an IPv4/TCP packet with every address and port 0. */
export function pktV4(): Buffer {
  const eth = Buffer.alloc(14);
  eth.writeUInt16BE(0x0800, 12);
  const ip = Buffer.alloc(20);
  ip[0] = 5; // ihl 5, version 0: the initialiser sets only ihl
  ip.writeUInt16BE(MAGIC_BYTES, 2);
  ip[9] = 6; // IPPROTO_TCP
  return Buffer.concat([eth, ip, tcpHeader()]);
}

/** `pkt_v6`: 74 bytes, an IPv6/TCP packet with every address and port 0. */
export function pktV6(): Buffer {
  const eth = Buffer.alloc(14);
  eth.writeUInt16BE(0x86dd, 12);
  const ip = Buffer.alloc(40);
  ip.writeUInt16BE(MAGIC_BYTES, 4);
  ip[6] = 6; // nexthdr IPPROTO_TCP
  return Buffer.concat([eth, ip, tcpHeader()]);
}
