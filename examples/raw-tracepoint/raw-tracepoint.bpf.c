// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Raw tracepoint on sys_enter: counts system calls by number, and remembers the CPU of the last one.
 * The raw tracepoint's arguments are the tracepoint's own: args[0] is the struct pt_regs pointer,
 * args[1] the system call number.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* System call number -> calls seen. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} syscall_counts SEC(".maps");

/* CPU that ran the program last. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} last_cpu SEC(".maps");

SEC("raw_tp/sys_enter")
int count_syscalls(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 nr = ctx->args[1];
	__u32 zero = 0, cpu = bpf_get_smp_processor_id();
	__u64 one = 1;
	__u64 *count = bpf_map_lookup_elem(&syscall_counts, &nr);

	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&syscall_counts, &nr, &one, BPF_NOEXIST);
	bpf_map_update_elem(&last_cpu, &zero, &cpu, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
