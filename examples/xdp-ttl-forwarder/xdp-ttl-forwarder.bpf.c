// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * XDP forwarder: routes IPv4 and IPv6 packets to one configured next hop.
 *  - decrements the IPv4 TTL (updating the header checksum incrementally) or the IPv6 hop limit;
 *    packets whose TTL would reach zero go to the kernel stack (XDP_PASS), which sends the ICMP error;
 *  - removes an 802.1Q/802.1ad tag with bpf_xdp_adjust_head, so the frame leaves untagged;
 *  - rewrites the MAC addresses for the next hop;
 *  - leaves a struct fwd_meta in front of the frame with bpf_xdp_adjust_meta, for a tc program or an
 *    AF_XDP consumer further on;
 *  - sends the frame back out of the same interface (XDP_TX) or redirects it to the next hop's interface.
 * Until the next hop is configured (all-zero MAC), every packet is passed to the stack untouched.
 */
#include "../common/packet-parse.h"

/* Where forwarded packets go. */
struct next_hop {
	unsigned char src_mac[ETH_ALEN];
	unsigned char dst_mac[ETH_ALEN];
	/* 0: back out of the ingress interface (XDP_TX); otherwise bpf_redirect() to this interface. */
	__u32 ifindex;
};

/* Metadata left in front of each forwarded frame. */
struct fwd_meta {
	__u16 vlan_id;     /* VLAN the frame arrived on (0: untagged) */
	__u8 ttl_in;       /* TTL or hop limit on arrival */
	__u8 ip_version;   /* 4 or 6 */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct next_hop);
} next_hop SEC(".maps");

/* Decrements the TTL and patches the checksum: the TTL is the high byte of a 16-bit header word. */
static __always_inline void ipv4_decrement_ttl(struct iphdr *iph)
{
	__u32 check = iph->check;

	check += bpf_htons(0x0100);
	iph->check = (__u16)(check + (check >= 0xffff));
	iph->ttl--;
}

SEC("xdp")
int xdp_forward(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct cursor c = { .pos = data, .end = data_end };
	struct fwd_meta meta = {};
	struct ethhdr *eth;
	struct vlan_hdr *vlan;
	__u32 zero = 0;
	__be16 proto = parse_ethernet(&c, &eth, &vlan);
	struct next_hop *hop = bpf_map_lookup_elem(&next_hop, &zero);

	if (!hop || !(hop->dst_mac[0] | hop->dst_mac[1] | hop->dst_mac[2] | hop->dst_mac[3] |
		      hop->dst_mac[4] | hop->dst_mac[5]))
		return XDP_PASS;

	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *iph = parse_ipv4(&c);

		if (!iph)
			return XDP_DROP;
		if (iph->ttl <= 1)
			return XDP_PASS;
		meta.ttl_in = iph->ttl;
		meta.ip_version = 4;
		ipv4_decrement_ttl(iph);
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6h = parse_ipv6(&c);

		if (!ip6h)
			return XDP_DROP;
		if (ip6h->hop_limit <= 1)
			return XDP_PASS;
		meta.ttl_in = ip6h->hop_limit;
		meta.ip_version = 6;
		ip6h->hop_limit--;
	} else {
		return XDP_PASS;
	}

	if (vlan) {
		meta.vlan_id = bpf_ntohs(vlan->tci) & VLAN_VID_MASK;
		/* Drop the tag: move the head forward by its size; the MACs are rewritten below anyway. */
		if (bpf_xdp_adjust_head(ctx, (int)sizeof(struct vlan_hdr)))
			return XDP_ABORTED;
		data = (void *)(long)ctx->data;
		data_end = (void *)(long)ctx->data_end;
		eth = data;
		if ((void *)(eth + 1) > data_end)
			return XDP_ABORTED;
		eth->h_proto = proto;
	}
	__builtin_memcpy(eth->h_source, hop->src_mac, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, hop->dst_mac, ETH_ALEN);

	/* Metadata is optional: drivers without support refuse it, and the frame is forwarded anyway. */
	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(struct fwd_meta)) == 0) {
		struct fwd_meta *out = (void *)(long)ctx->data_meta;

		if ((void *)(out + 1) <= (void *)(long)ctx->data)
			*out = meta;
	}

	if (hop->ifindex)
		return bpf_redirect(hop->ifindex, 0);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
