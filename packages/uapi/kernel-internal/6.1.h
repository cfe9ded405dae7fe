/*
 * DO NOT EDIT: written by packages/uapi/generator/refresh-kernel-internal.ts
 * (`npm run refresh-kernel-internal -w @progrun/uapi`) from the BTF in the vmlinuz of
 *   linux-image-6.1.0-50-amd64 6.1.176-1 (Debian bookworm, kernel 6.1) sha256 7b5597492a0a65aee61985a492e6bcc3f2cde830072a0e3b3d8c7e1b90279bd3
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

