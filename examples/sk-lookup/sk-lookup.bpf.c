// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sk_lookup: steers new TCP connections for a set of local ports to one listening socket, whatever
 * address and port that socket is bound to (one server for many ports, as with a port-range service).
 * Ports in service_ports go to the socket stored in service_socket; if no socket is stored the
 * connection is refused (SK_DROP) rather than reaching whatever else listens there. Other traffic
 * takes the normal socket lookup (SK_PASS without a selection).
 */
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>

/* Local ports (host order) steered to the service socket. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u16);
	__type(value, __u8);
} service_ports SEC(".maps");

/* The service's listening socket at index 0 (userspace stores its fd; lookups return its cookie). */
struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} service_socket SEC(".maps");

SEC("sk_lookup")
int steer_to_service(struct bpf_sk_lookup *ctx)
{
	__u16 port = ctx->local_port;
	__u32 zero = 0;
	struct bpf_sock *sk;
	long err;

	if (ctx->protocol != IPPROTO_TCP || !bpf_map_lookup_elem(&service_ports, &port))
		return SK_PASS;

	sk = bpf_map_lookup_elem(&service_socket, &zero);
	if (!sk)
		return SK_DROP;
	err = bpf_sk_assign(ctx, sk, 0);
	bpf_sk_release(sk);
	return err ? SK_DROP : SK_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
