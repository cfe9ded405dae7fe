/*
 * DO NOT EDIT: written by packages/uapi/generator/refresh-kernel-internal.ts
 * (`npm run refresh-kernel-internal -w @progrun/uapi`) from the BTF in the vmlinuz of
 *   linux-image-5.10.0-32-amd64 5.10.223-1 (Debian bullseye, kernel 5.10) sha256 86a6792f3a03ab15a643f385830cdaa921f15e3e9c8bf63aa55a9243c62fc797
 * The kernel-internal records a test run takes as its context (struct nf_hook_state, struct bpf_nf_ctx,
 * those this kernel has), and the types their layout needs. `npm run generate` lays them out with
 * the compiler into src/generated/kernel-internal-layouts.ts.
 */
typedef unsigned char __u8;

typedef __u8 u8;

typedef u8 u_int8_t;

struct net_device;

struct sock;

struct net;

struct sk_buff;

struct nf_hook_state {
	unsigned int hook;
	u_int8_t pf;
	struct net_device *in;
	struct net_device *out;
	struct sock *sk;
	struct net *net;
	int (*okfn)(struct net *, struct sock *, struct sk_buff *);
};

