// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * XDP reflector: sends every Ethernet frame back out of the interface it arrived on, with the source
 * and destination MAC addresses swapped. The smallest useful XDP program that writes to the packet.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_reflect(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	unsigned char mac[ETH_ALEN];

	/* The kernel never hands XDP less than an Ethernet header, but the verifier wants the check. */
	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;

	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
