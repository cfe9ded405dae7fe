// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Drops packets whose XDP metadata (written in front of the packet by an earlier stage) carries the
 * mark 0xdecaf; passes everything else, packets without metadata included. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define DROP_MARK 0xdecaf

SEC("xdp")
int xdp_meta(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	__u32 *mark = (void *)(long)ctx->data_meta;

	if ((void *)(mark + 1) > data)
		return XDP_PASS;
	return *mark == DROP_MARK ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
