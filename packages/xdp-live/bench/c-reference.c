// SPDX-License-Identifier: MIT
/*
 * The C reference of the benchmark: the same live-frame loop as @progrun/xdp-live's workers, written
 * directly against bpf(2). The program arrives as fd 3 (inherited), so both sides run the very same
 * program on the same packet, device and batch size.
 *
 *   c-reference NETNS_PATH IFINDEX PACKET_HEX BATCH COUNT CHUNK CPU ATTACH
 *
 * Enters NETNS_PATH ("-" to stay), pins itself to CPU, then loops BPF_PROG_TEST_RUN with
 * BPF_F_TEST_XDP_LIVE_FRAMES, repeat = CHUNK (the last call takes the rest), until COUNT frames ran.
 * ATTACH = 1 first keeps the program attached (generic XDP on the loopback device of a private network
 * namespace, like xdp-live's default), 0 leaves it detached ("naive": every call then updates the XDP
 * dispatcher). Prints one JSON line: frames, calls, elapsed_ns, and cpu_ns (the thread's CPU time, which
 * unlike elapsed time does not grow while the thread waits for its CPU).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PROG_FD 3
#define ATTR_SIZE(member) (offsetof(union bpf_attr, member) + sizeof(((union bpf_attr *)0)->member))

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "c-reference: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Keeps the program attached to lo of a new private namespace; returns with the caller's namespace. */
static void keep_attached(void)
{
	union bpf_attr attr;
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

	if (self < 0 || unshare(CLONE_NEWNET) != 0)
		die("private namespace");
	if (open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC) < 0) /* keeps it alive */
		die("open private namespace");
	memset(&attr, 0, ATTR_SIZE(link_create.flags));
	attr.link_create.prog_fd = PROG_FD;
	attr.link_create.target_ifindex = 1;
	attr.link_create.attach_type = BPF_XDP;
	attr.link_create.flags = XDP_FLAGS_SKB_MODE;
	if (syscall(__NR_bpf, BPF_LINK_CREATE, &attr, ATTR_SIZE(link_create.flags)) < 0)
		die("BPF_LINK_CREATE");
	if (setns(self, CLONE_NEWNET) != 0)
		die("setns back");
	close(self);
}

int main(int argc, char **argv)
{
	unsigned char packet[4096];
	struct xdp_md md;
	union bpf_attr attr;
	uint64_t count, chunk, done = 0, calls = 0, start, cpu_start;
	size_t len = 0;
	cpu_set_t set;
	const char *hex;

	if (argc != 9) {
		fprintf(stderr, "usage: c-reference NETNS_PATH IFINDEX PACKET_HEX BATCH COUNT CHUNK CPU ATTACH\n");
		return 2;
	}
	for (hex = argv[3]; hex[0] && hex[1] && len < sizeof(packet); hex += 2)
		sscanf(hex, "%2hhx", &packet[len++]);
	count = strtoull(argv[5], NULL, 10);
	chunk = strtoull(argv[6], NULL, 10);

	if (atoi(argv[8]))
		keep_attached();
	if (strcmp(argv[1], "-") != 0) {
		int ns = open(argv[1], O_RDONLY | O_CLOEXEC);

		if (ns < 0 || setns(ns, CLONE_NEWNET) != 0)
			die("enter namespace");
		close(ns);
	}
	CPU_ZERO(&set);
	CPU_SET(atoi(argv[7]), &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		die("sched_setaffinity");

	memset(&md, 0, sizeof(md));
	md.data_end = (uint32_t)len;
	md.ingress_ifindex = (uint32_t)atoi(argv[2]);

	start = clock_ns(CLOCK_MONOTONIC);
	cpu_start = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	while (done < count) {
		uint64_t n = count - done < chunk ? count - done : chunk;

		memset(&attr, 0, ATTR_SIZE(test.batch_size));
		attr.test.prog_fd = PROG_FD;
		attr.test.data_in = (uintptr_t)packet;
		attr.test.data_size_in = (uint32_t)len;
		attr.test.ctx_in = (uintptr_t)&md;
		attr.test.ctx_size_in = sizeof(md);
		attr.test.repeat = (uint32_t)n;
		attr.test.flags = BPF_F_TEST_XDP_LIVE_FRAMES;
		attr.test.batch_size = (uint32_t)atoi(argv[4]);
		if (syscall(__NR_bpf, BPF_PROG_TEST_RUN, &attr, ATTR_SIZE(test.batch_size)) < 0)
			die("BPF_PROG_TEST_RUN");
		done += n;
		calls++;
	}
	printf("{\"frames\":%llu,\"calls\":%llu,\"elapsed_ns\":%llu,\"cpu_ns\":%llu}\n", (unsigned long long)done,
	       (unsigned long long)calls, (unsigned long long)(clock_ns(CLOCK_MONOTONIC) - start),
	       (unsigned long long)(clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu_start));
	return 0;
}
