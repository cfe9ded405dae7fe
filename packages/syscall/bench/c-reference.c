// The C reference of the benchmark: the same raw bpf(BPF_PROG_TEST_RUN) call the JavaScript path makes
// (an XDP program returning XDP_PASS, a 64-byte packet in, the packet out), in a tight loop.
//
// Usage: c-reference CALLS REPEAT [PROG_FD [INPUTS]]
// With PROG_FD (an fd inherited from the benchmark) it runs the JavaScript side's own program, attached or
// not as that side left it: one JIT image for both. A program attached somewhere skips the XDP dispatcher
// swap (two RCU grace periods) that every test run with repeat > 1 otherwise costs. With INPUTS, the calls
// cycle through that many different 64-byte packets (packet i filled with the byte i), as the batched run
// of the JavaScript side does.
// Prints one line of JSON: {"calls":N,"repeat":R,"nsPerCall":X,"durationNs":D,"retval":2}, D being the
// kernel's own mean time per run in the last call (it leaves out time the task was scheduled out).
#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long sys_bpf(int cmd, union bpf_attr *attr, unsigned int size) { return syscall(__NR_bpf, cmd, attr, size); }

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 3 || argc > 5) {
    fprintf(stderr, "usage: %s CALLS REPEAT [PROG_FD [INPUTS]]\n", argv[0]);
    return 2;
  }
  long inputs = argc == 5 ? atol(argv[4]) : 1;
  if (inputs < 1 || inputs > 4096) {
    fprintf(stderr, "INPUTS must be in [1, 4096]\n");
    return 2;
  }
  long calls = atol(argv[1]);
  unsigned int repeat = (unsigned int)atol(argv[2]);

  // The benchmark hands over the very program the JavaScript side runs (an inherited fd), so both
  // sides run one JIT image, attached or not alike; standalone, load an equal program.
  int prog_fd;
  if (argc >= 4) {
    prog_fd = atoi(argv[3]);
  } else {
    struct bpf_insn insns[] = {
        {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_PASS},
        {.code = BPF_JMP | BPF_EXIT},
    };
    union bpf_attr load;
    memset(&load, 0, sizeof(load));
    load.prog_type = BPF_PROG_TYPE_XDP;
    load.insns = (uintptr_t)insns;
    load.insn_cnt = 2;
    load.license = (uintptr_t)"GPL";
    prog_fd = (int)sys_bpf(BPF_PROG_LOAD, &load, sizeof(load));
    if (prog_fd < 0) {
      perror("BPF_PROG_LOAD");
      return 1;
    }
  }

  static unsigned char data_in[4096][64], data_out[64 + 256 + 4096];
  for (long i = 0; i < inputs; i++) memset(data_in[i], inputs == 1 ? 0x5a : (int)(i & 0xff), sizeof(data_in[i]));
  const unsigned int attr_size = offsetof(union bpf_attr, test.batch_size) + sizeof(__u32);
  union bpf_attr attr;
  uint32_t retval = 0, duration = 0;
  uint64_t start = 0;
  for (long i = -calls / 10 - 1; i < calls; i++) {
    if (i == 0) start = now_ns();  // the first tenth warms up
    memset(&attr, 0, attr_size);
    attr.test.prog_fd = (uint32_t)prog_fd;
    attr.test.data_in = (uintptr_t)data_in[(i < 0 ? -i : i) % inputs];
    attr.test.data_size_in = sizeof(data_in[0]);
    attr.test.data_out = (uintptr_t)data_out;
    attr.test.data_size_out = sizeof(data_out);
    attr.test.repeat = repeat;
    if (sys_bpf(BPF_PROG_TEST_RUN, &attr, attr_size) != 0) {
      perror("BPF_PROG_TEST_RUN");
      return 1;
    }
    retval = attr.test.retval;
    duration = attr.test.duration;
  }
  uint64_t elapsed = now_ns() - start;
  printf("{\"calls\":%ld,\"repeat\":%u,\"nsPerCall\":%.1f,\"durationNs\":%u,\"retval\":%u}\n", calls, repeat,
         (double)elapsed / (double)calls, duration, retval);
  if (argc < 4) close(prog_fd);
  return 0;
}
