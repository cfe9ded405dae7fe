// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * tc classifier (direct action): sets skb->mark from the packet's destination port, so that routing
 * rules (ip rule fwmark), qdiscs or netfilter further on can act on the class. Ports come from the
 * port_marks map; traffic without a port rule but with DSCP EF (voice) gets MARK_EXPEDITED. A packet
 * that already carries a mark (set by an earlier stage) is left alone. Never drops.
 */
#include <linux/pkt_cls.h>
#include "../common/packet-parse.h"

#define DSCP_EF 46
#define MARK_EXPEDITED 0xef

/* Destination port (host order, TCP or UDP) -> mark. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u16);
	__type(value, __u32);
} port_marks SEC(".maps");

SEC("tc")
int tc_classify(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	__u8 protocol, dscp;
	int port;

	if (skb->mark)
		return TC_ACT_OK;

	port = parse_to_dest_port(data, data_end, &protocol, &dscp);
	if (port > 0) {
		__u16 key = port;
		__u32 *mark = bpf_map_lookup_elem(&port_marks, &key);

		if (mark) {
			skb->mark = *mark;
			return TC_ACT_OK;
		}
	}
	if (dscp == DSCP_EF)
		skb->mark = MARK_EXPEDITED;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
