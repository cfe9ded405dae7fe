/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Bounds-checked header parsing shared by the packet examples. Every step checks the header against
 * the end of the packet before reading it, which is what the verifier demands of direct packet access.
 */
#ifndef PROGRUN_EXAMPLES_PACKET_PARSE_H
#define PROGRUN_EXAMPLES_PACKET_PARSE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

/* 802.1Q / 802.1ad tag as it follows the MAC addresses (not in the UAPI headers). */
struct vlan_hdr {
	__be16 tci;
	__be16 encapsulated_proto;
};

#define VLAN_VID_MASK 0x0fff
#define IP_MF 0x2000
#define IP_OFFSET 0x1fff

/* A read position inside the packet and the packet's end. */
struct cursor {
	void *pos;
	void *end;
};

/* Ethernet plus at most one VLAN tag. Returns the inner EtherType (network order), or 0 when truncated. */
static __always_inline __be16 parse_ethernet(struct cursor *c, struct ethhdr **eth, struct vlan_hdr **vlan)
{
	struct ethhdr *e = c->pos;

	if ((void *)(e + 1) > c->end)
		return 0;
	c->pos = e + 1;
	*eth = e;
	*vlan = 0;
	if (e->h_proto != bpf_htons(ETH_P_8021Q) && e->h_proto != bpf_htons(ETH_P_8021AD))
		return e->h_proto;

	struct vlan_hdr *v = c->pos;

	if ((void *)(v + 1) > c->end)
		return 0;
	c->pos = v + 1;
	*vlan = v;
	return v->encapsulated_proto;
}

/* IPv4 header with its options. Returns the IPv4 header, or 0 when truncated or malformed. */
static __always_inline struct iphdr *parse_ipv4(struct cursor *c)
{
	struct iphdr *iph = c->pos;

	if ((void *)(iph + 1) > c->end || iph->ihl < 5)
		return 0;
	if (c->pos + iph->ihl * 4 > c->end)
		return 0;
	c->pos += iph->ihl * 4;
	return iph;
}

/* Fixed IPv6 header (extension headers are not followed). Returns it, or 0 when truncated. */
static __always_inline struct ipv6hdr *parse_ipv6(struct cursor *c)
{
	struct ipv6hdr *ip6h = c->pos;

	if ((void *)(ip6h + 1) > c->end)
		return 0;
	c->pos = ip6h + 1;
	return ip6h;
}

/*
 * Destination port (host order) of the TCP or UDP header at the cursor. Returns 0 when the header is
 * truncated, -1 when the protocol carries no ports.
 */
static __always_inline int parse_dest_port(struct cursor *c, __u8 protocol)
{
	if (protocol == IPPROTO_UDP) {
		struct udphdr *udph = c->pos;

		if ((void *)(udph + 1) > c->end)
			return 0;
		return bpf_ntohs(udph->dest);
	}
	if (protocol == IPPROTO_TCP) {
		struct tcphdr *tcph = c->pos;

		if ((void *)(tcph + 1) > c->end)
			return 0;
		return bpf_ntohs(tcph->dest);
	}
	return -1;
}

/*
 * Walks Ethernet, VLAN, IPv4 or IPv6 and reads the destination port. Returns the port (host order),
 * -1 for traffic without ports (not IP, not TCP/UDP, a later IPv4 fragment), 0 for a truncated packet
 * (or one addressed to the reserved port 0).
 * Sets *protocol to the IP protocol and *dscp to the DSCP of the IP header when there is one.
 */
static __always_inline int parse_to_dest_port(void *data, void *data_end, __u8 *protocol, __u8 *dscp)
{
	struct cursor c = { .pos = data, .end = data_end };
	struct ethhdr *eth;
	struct vlan_hdr *vlan;
	__be16 proto = parse_ethernet(&c, &eth, &vlan);

	*protocol = 0;
	*dscp = 0;
	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *iph = parse_ipv4(&c);

		if (!iph)
			return 0;
		*protocol = iph->protocol;
		*dscp = iph->tos >> 2;
		/* Only the first fragment carries the transport header. */
		if (iph->frag_off & bpf_htons(IP_OFFSET))
			return -1;
		return parse_dest_port(&c, iph->protocol);
	}
	if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6h = parse_ipv6(&c);

		if (!ip6h)
			return 0;
		*protocol = ip6h->nexthdr;
		*dscp = ((ip6h->priority << 4) | (ip6h->flow_lbl[0] >> 4)) >> 2;
		return parse_dest_port(&c, ip6h->nexthdr);
	}
	return proto ? -1 : 0;
}

#endif /* PROGRUN_EXAMPLES_PACKET_PARSE_H */
