// The raw bpf(2) call. Callers pass a zeroed attr and the size of the prefix they know (attr_size), so
// kernels older than the header see only fields they understand (the kernel rejects non-zero bytes past
// its own union bpf_attr, and CHECK_ATTR rejects non-zero bytes past a command's last field).
#pragma once

#include <linux/bpf.h>
#include <signal.h>

#include <cstddef>
#include <cstdint>

namespace progrun {

// Size of union bpf_attr up to and including the given member, e.g. PROGRUN_ATTR_SIZE(test.batch_size).
#define PROGRUN_ATTR_SIZE(member) (offsetof(union bpf_attr, member) + sizeof(((union bpf_attr*)nullptr)->member))

// bpf(cmd, attr, size): the result (>= 0) or -errno. Never throws.
long SysBpf(int cmd, union bpf_attr* attr, unsigned int size);

// Pointer as the kernel's __aligned_u64.
inline std::uint64_t PtrToU64(const void* ptr) { return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(ptr)); }

// Blocks, on the calling thread and for the scope's lifetime, every signal that can be blocked and is not
// raised synchronously by a fault of this thread. Blocked signals stay pending and are delivered when the
// scope ends. The kernel's long-running bpf work gives up while a signal is pending: a test run with EINTR,
// the verifier with EAGAIN.
class ScopedSignalBlock {
 public:
  explicit ScopedSignalBlock(bool active);
  ~ScopedSignalBlock();
  ScopedSignalBlock(const ScopedSignalBlock&) = delete;
  ScopedSignalBlock& operator=(const ScopedSignalBlock&) = delete;

 private:
  bool active_;
  sigset_t saved_;
};

// Options for SysBpfRestarting.
struct RestartPolicy {
  // Block asynchronous signals on the calling thread while the call runs: a long BPF_PROG_TEST_RUN aborts
  // with EINTR whenever a signal is pending, so a periodic signal (a profiler's SIGPROF) longer-lived than
  // one run would otherwise make it restart forever. Blocked signals are delivered when the call returns.
  bool block_signals = false;
};

// SysBpf, reissued while it fails with EINTR. Returns the result or -errno; *restarts counts reissues.
long SysBpfRestarting(int cmd, union bpf_attr* attr, unsigned int size, RestartPolicy policy,
                      std::uint32_t* restarts);

}  // namespace progrun
