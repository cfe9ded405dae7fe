// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Interface stamps, at both ends of the receive path:
 *  - xdp_stamp leaves the interface an IPv4 or IPv6 frame arrived on as 4 bytes of metadata in front of it
 *    (bpf_xdp_adjust_meta), where a tc program or an AF_XDP reader finds it, and passes the frame; anything
 *    else is dropped.
 *  - tc_stamp marks an IP packet with the device it is on (skb->mark = ifindex) and gives it priority 6
 *    (interactive), and drops anything else.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define PRIO_INTERACTIVE 6

static __always_inline int is_ip(void *data, void *data_end)
{
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return 0;
	return eth->h_proto == bpf_htons(ETH_P_IP) || eth->h_proto == bpf_htons(ETH_P_IPV6);
}

SEC("xdp")
int xdp_stamp(struct xdp_md *ctx)
{
	__u32 *meta;

	if (!is_ip((void *)(long)ctx->data, (void *)(long)ctx->data_end))
		return XDP_DROP;
	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*meta)))
		return XDP_ABORTED;
	meta = (void *)(long)ctx->data_meta;
	if ((void *)(meta + 1) > (void *)(long)ctx->data)
		return XDP_ABORTED;
	*meta = ctx->ingress_ifindex;
	return XDP_PASS;
}

SEC("tc")
int tc_stamp(struct __sk_buff *skb)
{
	if (!is_ip((void *)(long)skb->data, (void *)(long)skb->data_end))
		return TC_ACT_SHOT;
	skb->mark = skb->ifindex;
	skb->priority = PRIO_INTERACTIVE;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
