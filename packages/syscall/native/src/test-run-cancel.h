// Cancelling test runs in flight on the libuv pool. Every async test run registers a flag that its pool
// thread reads between kernel calls (between the chunks of a long repeat, between the inputs of a batch):
// testRunCancel(id) raises the flags registered under an id (an AbortSignal's abort), testRunCancelAll()
// every flag of the calling environment (process.exit: the process waits for the pool threads before it
// exits, so an in-flight run must stop at its next chunk).
#pragma once

#include <node_api.h>

#include <atomic>
#include <cstdint>
#include <memory>

namespace progrun {

// Read by the pool thread, raised by the main thread.
class CancelFlag {
 public:
  bool Requested() const { return requested_.load(std::memory_order_relaxed); }
  void Request() { requested_.store(true, std::memory_order_relaxed); }

 private:
  std::atomic<bool> requested_{false};
};

// A flag registered for one call of env under id (0: reached only by testRunCancelAll), for the
// registration's lifetime.
class CancelRegistration {
 public:
  CancelRegistration(napi_env env, std::uint32_t id);
  ~CancelRegistration();
  CancelRegistration(const CancelRegistration&) = delete;
  CancelRegistration& operator=(const CancelRegistration&) = delete;

  const CancelFlag& flag() const { return *flag_; }

 private:
  std::shared_ptr<CancelFlag> flag_;
};

}  // namespace progrun
