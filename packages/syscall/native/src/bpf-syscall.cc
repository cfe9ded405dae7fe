#include "bpf-syscall.h"

#include "attr-capture.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <initializer_list>

namespace progrun {

long SysBpf(int cmd, union bpf_attr* attr, unsigned int size) {
  if (AttrCaptureTakes(cmd)) return CaptureAttr(cmd, attr, size);
  long ret = syscall(__NR_bpf, cmd, attr, size);
  return ret < 0 ? -static_cast<long>(errno) : ret;
}

ScopedSignalBlock::ScopedSignalBlock(bool active) : active_(active) {
  if (!active_) return;
  sigset_t all;
  sigfillset(&all);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS}) sigdelset(&all, sig);
  active_ = pthread_sigmask(SIG_BLOCK, &all, &saved_) == 0;
}

ScopedSignalBlock::~ScopedSignalBlock() {
  if (active_) pthread_sigmask(SIG_SETMASK, &saved_, nullptr);
}

long SysBpfRestarting(int cmd, union bpf_attr* attr, unsigned int size, RestartPolicy policy,
                      std::uint32_t* restarts) {
  ScopedSignalBlock block(policy.block_signals);
  std::uint32_t count = 0;
  long ret;
  while ((ret = SysBpf(cmd, attr, size)) == -EINTR) count++;
  if (restarts != nullptr) *restarts = count;
  return ret;
}

}  // namespace progrun
