/*
 * DO NOT EDIT: written by packages/uapi/generator/refresh-kernel-internal.ts
 * (`npm run refresh-kernel-internal -w @progrun/uapi`) from the BTF in the vmlinuz of
 *   linux-image-6.12.117+deb13-amd64 6.12.117-1 (Debian trixie, kernel 6.12) sha256 ca712d36790184f6ac125ce2b20ea4e2202ae6bb7817b7de268f1f0115ccda73
 * The kernel-internal records a test run takes as its context (struct nf_hook_state, struct bpf_nf_ctx,
 * those this kernel has), and the types their layout needs. `npm run generate` lays them out with
 * the compiler into src/generated/kernel-internal-layouts.ts.
 */
typedef unsigned char __u8;

typedef __u8 u8;

struct net_device;

struct sock;

struct net;

struct sk_buff;

struct nf_hook_state {
	u8 hook;
	u8 pf;
	struct net_device *in;
	struct net_device *out;
	struct sock *sk;
	struct net *net;
	int (*okfn)(struct net *, struct sock *, struct sk_buff *);
};

struct bpf_nf_ctx {
	const struct nf_hook_state *state;
	struct sk_buff *skb;
};

