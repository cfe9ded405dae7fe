// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * BPF_PROG_TYPE_SYSCALL program: creates an array map and fills it from inside the kernel with
 * bpf_sys_bpf(), the way libbpf's light skeletons load themselves. It runs only through BPF_PROG_RUN;
 * its context is a struct fill_args read from, and written back to, the caller's memory. The new map's
 * file descriptor lands in the calling process, which takes ownership of it.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define MAX_FILL 256

struct fill_args {
	__u32 max_entries; /* in: entries to create and fill, 1..MAX_FILL */
	__u32 step;        /* in: value[i] = i * step */
	__s32 map_fd;      /* out: fd of the new map, -1 on failure */
	__s32 err;         /* out: 0, or the negative errno of the failing bpf command */
};

/* Size of union bpf_attr up to and including the named field, as libbpf passes it. */
#define attr_size(field) (__builtin_offsetof(union bpf_attr, field) + sizeof(((union bpf_attr *)0)->field))

SEC("syscall")
int create_and_fill(struct fill_args *args)
{
	union bpf_attr attr = {};
	__u32 entries = args->max_entries;
	int fd;

	args->map_fd = -1;
	if (entries == 0 || entries > MAX_FILL) {
		args->err = -22; /* EINVAL */
		return 1;
	}

	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = sizeof(__u32);
	attr.value_size = sizeof(__u64);
	attr.max_entries = entries;
	__builtin_memcpy(attr.map_name, "filled", sizeof("filled"));
	fd = bpf_sys_bpf(BPF_MAP_CREATE, &attr, attr_size(map_extra));
	if (fd < 0) {
		args->err = fd;
		return 1;
	}

	for (__u32 i = 0; i < MAX_FILL && i < entries; i++) {
		__u32 key = i;
		__u64 value = (__u64)i * args->step;
		long err;

		__builtin_memset(&attr, 0, sizeof(attr));
		attr.map_fd = fd;
		attr.key = (long)&key;
		attr.value = (long)&value;
		attr.flags = BPF_ANY;
		err = bpf_sys_bpf(BPF_MAP_UPDATE_ELEM, &attr, attr_size(flags));
		if (err) {
			bpf_sys_close(fd);
			args->err = err;
			return 1;
		}
	}
	args->map_fd = fd;
	args->err = 0;
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
