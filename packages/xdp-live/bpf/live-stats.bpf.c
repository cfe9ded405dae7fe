// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Statistics of an XDP live-frame run, collected from raw tracepoints while the run lasts.
 *
 * Only events of the injecting process count (its tgid is in `config`). The xdp:* events fire in the
 * injecting worker's own context (the program runs there, and redirected frames are flushed there at
 * the end of each batch); workers are pinned, so per-CPU counters are per-worker counters, without
 * atomics or hashing on the per-frame path. Page-pool events are keyed by pool: a pool is the run's
 * when one of its pages is first taken (page_pool_state_hold) by the injecting process; pages may come
 * back in any context, so releases count for every pool known that way.
 *
 * Raw tracepoint arguments (TP_PROTO order of include/trace/events/xdp.h and page_pool.h):
 *   xdp_redirect, xdp_redirect_err: dev, xdp prog, tgt, err, map_type, map_id, index
 *   xdp_devmap_xmit: from_dev, to_dev, sent, drops, err
 *   page_pool_state_hold / _release: pool, page (netmem), hold / release counter after the event
 *   page_pool_release: pool, inflight, hold, release (when the pool is destroyed, and on each retry)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#define MAX_ERRNO 256

struct config {
	__u32 tgid;
};

struct xdp_counts {
	__u64 redirect;         /* xdp_redirect: frames handed to a target (XDP_TX included) */
	__u64 redirect_err;     /* xdp_redirect_err: frames the redirect refused */
	__u64 xmit_sent;        /* xdp_devmap_xmit: frames ndo_xdp_xmit accepted */
	__u64 xmit_drops;       /* xdp_devmap_xmit: frames ndo_xdp_xmit refused */
	__u64 xmit_flushes;     /* xdp_devmap_xmit events (bulk flushes) */
	__u64 xmit_err_flushes; /* flushes that reported an error */
};

struct pool_state {
	__u32 tid;  /* injecting thread that took its first page */
	__u32 pad;
	__u64 hold; /* page_pool_state_hold events */
	__u64 release;
};

struct pool_totals {
	__u64 pools;            /* pools destroyed with nothing in flight */
	__u64 hold;             /* their hold events */
	__u64 release;          /* their release events */
	__u64 record_hold;      /* hold counter in their page_pool_release records */
	__u64 record_release;
	__u64 records;          /* page_pool_release records seen (one per destroy, plus retries) */
	__u64 records_inflight; /* records with pages still in flight */
	__u64 hold_min;
	__u64 hold_max;
	__s64 inflight_max;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct config);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdp_counts);
} xdp_counts SEC(".maps");

/* Frames by errno (index = -err, clamped to MAX_ERRNO - 1). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MAX_ERRNO);
	__type(key, __u32);
	__type(value, __u64);
} redirect_errno SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MAX_ERRNO);
	__type(key, __u32);
	__type(value, __u64);
} xmit_errno SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct pool_state);
} pools SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct pool_totals);
} pool_totals SEC(".maps");

static __always_inline int ours(__u32 *tid)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 zero = 0;
	struct config *cfg = bpf_map_lookup_elem(&config, &zero);

	if (!cfg || (__u32)(pid_tgid >> 32) != cfg->tgid)
		return 0;
	*tid = (__u32)pid_tgid;
	return 1;
}

static __always_inline struct xdp_counts *counts(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&xdp_counts, &zero);
}

static __always_inline void count_errno(void *map, int err, __u64 n)
{
	__u32 index = err < 0 ? (__u32)-err : (__u32)err;
	__u64 *slot;

	if (index >= MAX_ERRNO)
		index = MAX_ERRNO - 1;
	slot = bpf_map_lookup_elem(map, &index);
	if (slot)
		*slot += n;
}

SEC("raw_tp/xdp_redirect")
int on_xdp_redirect(struct bpf_raw_tracepoint_args *ctx)
{
	struct xdp_counts *c;
	__u32 tid;

	if (!ours(&tid) || !(c = counts()))
		return 0;
	c->redirect++;
	return 0;
}

SEC("raw_tp/xdp_redirect_err")
int on_xdp_redirect_err(struct bpf_raw_tracepoint_args *ctx)
{
	struct xdp_counts *c;
	__u32 tid;

	if (!ours(&tid) || !(c = counts()))
		return 0;
	c->redirect_err++;
	count_errno(&redirect_errno, (int)ctx->args[3], 1);
	return 0;
}

SEC("raw_tp/xdp_devmap_xmit")
int on_xdp_devmap_xmit(struct bpf_raw_tracepoint_args *ctx)
{
	int sent = (int)ctx->args[2], drops = (int)ctx->args[3], err = (int)ctx->args[4];
	struct xdp_counts *c;
	__u32 tid;

	if (!ours(&tid) || !(c = counts()))
		return 0;
	c->xmit_flushes++;
	if (sent > 0)
		c->xmit_sent += sent;
	if (drops > 0) {
		c->xmit_drops += drops;
		count_errno(&xmit_errno, err, drops);
	}
	if (err)
		c->xmit_err_flushes++;
	return 0;
}

SEC("raw_tp/page_pool_state_hold")
int on_page_pool_state_hold(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 pool = ctx->args[0];
	struct pool_state *st;
	__u32 tid;

	if (!ours(&tid))
		return 0;
	st = bpf_map_lookup_elem(&pools, &pool);
	if (!st) {
		struct pool_state fresh = { .tid = tid };

		bpf_map_update_elem(&pools, &pool, &fresh, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&pools, &pool);
		if (!st)
			return 0;
	}
	__sync_fetch_and_add(&st->hold, 1);
	return 0;
}

SEC("raw_tp/page_pool_state_release")
int on_page_pool_state_release(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 pool = ctx->args[0];
	struct pool_state *st = bpf_map_lookup_elem(&pools, &pool);

	if (st)
		__sync_fetch_and_add(&st->release, 1);
	return 0;
}

SEC("raw_tp/page_pool_release")
int on_page_pool_release(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 pool = ctx->args[0];
	__s32 inflight = (__s32)ctx->args[1];
	struct pool_state *st = bpf_map_lookup_elem(&pools, &pool);
	struct pool_totals *t;
	__u32 tid;

	if (!st)
		return 0;
	tid = st->tid;
	t = bpf_map_lookup_elem(&pool_totals, &tid);
	if (!t) {
		struct pool_totals fresh = { .hold_min = ~0ULL };

		bpf_map_update_elem(&pool_totals, &tid, &fresh, BPF_NOEXIST);
		t = bpf_map_lookup_elem(&pool_totals, &tid);
		if (!t)
			return 0;
	}
	__sync_fetch_and_add(&t->records, 1);
	if (inflight != 0) {
		/* Destroy deferred: pages still out; a retry reports again later. */
		__sync_fetch_and_add(&t->records_inflight, 1);
		if (inflight > t->inflight_max)
			t->inflight_max = inflight;
		return 0;
	}
	/* The pool is gone: fold it into its thread's totals and forget its address, which a later
	 * pool may reuse. Folds of one thread's pools happen one at a time in practice (pools are
	 * destroyed by the thread that created them), so min/max need no atomics. */
	__sync_fetch_and_add(&t->pools, 1);
	__sync_fetch_and_add(&t->hold, st->hold);
	__sync_fetch_and_add(&t->release, st->release);
	__sync_fetch_and_add(&t->record_hold, (__u32)ctx->args[2]);
	__sync_fetch_and_add(&t->record_release, (__u32)ctx->args[3]);
	if (st->hold < t->hold_min)
		t->hold_min = st->hold;
	if (st->hold > t->hold_max)
		t->hold_max = st->hold;
	bpf_map_delete_elem(&pools, &pool);
	return 0;
}
