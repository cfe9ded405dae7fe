// The cheapest syscall in a loop: getppid, the call behind Node's process.ppid. Beside js-side's
// process.ppid it measures what any call from JavaScript that makes one syscall pays on top of C on this
// host, whatever binding makes it.
//
// Usage: c-getppid CALLS
// Prints one line of JSON: {"calls":N,"nsPerCall":X}.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s CALLS\n", argv[0]);
    return 2;
  }
  long calls = atol(argv[1]);
  // Through syscall(), as the C reference of the test run calls bpf(); glibc's getppid() caches nothing
  // either, so this is the call Node makes.
  volatile long sink = 0;
  uint64_t start = 0;
  for (long i = -calls / 10 - 1; i < calls; i++) {
    if (i == 0) start = now_ns();  // the first tenth warms up
    sink += syscall(SYS_getppid);
  }
  uint64_t elapsed = now_ns() - start;
  printf("{\"calls\":%ld,\"nsPerCall\":%.1f}\n", calls, (double)elapsed / (double)calls);
  return 0;
}
