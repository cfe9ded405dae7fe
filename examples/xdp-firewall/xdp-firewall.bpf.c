// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * XDP firewall: drops TCP and UDP packets whose destination port is listed in the blocked_ports map,
 * counts the drops per rule, passes everything else. Truncated IP packets are dropped; non-IP traffic
 * and later IPv4 fragments (which carry no ports) are passed.
 */
#include "../common/packet-parse.h"

/* Map key: a destination port (host order) and the IP protocol it applies to (IPPROTO_TCP/UDP). */
struct port_rule {
	__u16 port;
	__u8 protocol;
	__u8 pad;
};

/* Blocked destination ports; the value counts the packets dropped by the rule. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct port_rule);
	__type(value, __u64);
} blocked_ports SEC(".maps");

SEC("xdp")
int xdp_firewall(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 protocol, dscp;
	int port = parse_to_dest_port(data, data_end, &protocol, &dscp);

	if (port == 0)
		return XDP_DROP;
	if (port < 0)
		return XDP_PASS;

	struct port_rule rule = { .port = port, .protocol = protocol };
	__u64 *drops = bpf_map_lookup_elem(&blocked_ports, &rule);

	if (!drops)
		return XDP_PASS;
	__sync_fetch_and_add(drops, 1);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
