// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Flow dissector: replaces the kernel's built-in dissector (for RPS, flow hashing, tc flower...) with
 * one that understands Ethernet with one VLAN tag, IPv4 (with options and fragments) and IPv6 (fixed
 * header), and the ports of TCP and UDP. It honours the dissector flags the kernel passes:
 * PARSE_1ST_FRAG (read the ports of a first fragment) and STOP_AT_FLOW_LABEL (an IPv6 flow label is
 * enough). Anything else is refused with BPF_DROP, and the kernel falls back to its own dissector.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define IP_MF 0x2000
#define IP_OFFSET 0x1fff

struct vlan_hdr {
	__be16 tci;
	__be16 encapsulated_proto;
};

/*
 * Headers further into the packet than this are not looked at. The verifier needs the bound: an offset
 * it only knows to be below 65536 could point past any packet, and reads through it are refused.
 */
#ifndef MAX_HEADER_OFFSET
#define MAX_HEADER_OFFSET 512
#endif

/* The first four bytes of TCP and UDP headers. */
struct ports {
	__be16 source;
	__be16 dest;
};

/* A pointer to size bytes at offset off of the packet, or 0 when they are not all there. */
static __always_inline void *header_at(struct __sk_buff *skb, __u32 off, __u32 size)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;

	if (off > MAX_HEADER_OFFSET || data + off + size > data_end)
		return 0;
	return data + off;
}

/* Reads the ports at keys->thoff. Returns BPF_OK, or BPF_DROP when they are cut off. */
static __always_inline int dissect_ports(struct __sk_buff *skb, struct bpf_flow_keys *keys)
{
	struct ports *p;

	if (keys->ip_proto != IPPROTO_TCP && keys->ip_proto != IPPROTO_UDP)
		return BPF_OK;
	p = header_at(skb, keys->thoff, sizeof(*p));
	if (!p)
		return BPF_DROP;
	keys->sport = p->source;
	keys->dport = p->dest;
	return BPF_OK;
}

static __always_inline int dissect_ipv4(struct __sk_buff *skb, struct bpf_flow_keys *keys)
{
	struct iphdr *iph = header_at(skb, keys->nhoff, sizeof(*iph));

	if (!iph || iph->ihl < 5)
		return BPF_DROP;
	keys->addr_proto = ETH_P_IP;
	keys->ipv4_src = iph->saddr;
	keys->ipv4_dst = iph->daddr;
	keys->ip_proto = iph->protocol;
	keys->thoff = keys->nhoff + iph->ihl * 4;

	if (iph->frag_off & bpf_htons(IP_MF | IP_OFFSET)) {
		keys->is_frag = 1;
		if (iph->frag_off & bpf_htons(IP_OFFSET))
			return BPF_OK;
		keys->is_first_frag = 1;
		if (!(keys->flags & BPF_FLOW_DISSECTOR_F_PARSE_1ST_FRAG))
			return BPF_OK;
	}
	return dissect_ports(skb, keys);
}

static __always_inline int dissect_ipv6(struct __sk_buff *skb, struct bpf_flow_keys *keys)
{
	struct ipv6hdr *ip6h = header_at(skb, keys->nhoff, sizeof(*ip6h));

	if (!ip6h)
		return BPF_DROP;
	keys->addr_proto = ETH_P_IPV6;
	__builtin_memcpy(keys->ipv6_src, &ip6h->saddr, sizeof(ip6h->saddr));
	__builtin_memcpy(keys->ipv6_dst, &ip6h->daddr, sizeof(ip6h->daddr));
	keys->ip_proto = ip6h->nexthdr;
	keys->thoff = keys->nhoff + sizeof(*ip6h);
	keys->flow_label = *(__be32 *)ip6h & bpf_htonl(0x000fffff);

	if (keys->flow_label && (keys->flags & BPF_FLOW_DISSECTOR_F_STOP_AT_FLOW_LABEL))
		return BPF_OK;
	return dissect_ports(skb, keys);
}

SEC("flow_dissector")
int dissect(struct __sk_buff *skb)
{
	struct bpf_flow_keys *keys = skb->flow_keys;

	/* The kernel has already read the Ethernet header: nhoff and n_proto point past it. */
	if (keys->n_proto == bpf_htons(ETH_P_8021Q) || keys->n_proto == bpf_htons(ETH_P_8021AD)) {
		struct vlan_hdr *vlan = header_at(skb, keys->nhoff, sizeof(*vlan));

		if (!vlan)
			return BPF_DROP;
		keys->n_proto = vlan->encapsulated_proto;
		keys->nhoff += sizeof(*vlan);
	}

	if (keys->n_proto == bpf_htons(ETH_P_IP))
		return dissect_ipv4(skb, keys);
	if (keys->n_proto == bpf_htons(ETH_P_IPV6))
		return dissect_ipv6(skb, keys);
	return BPF_DROP;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
