// Base of the addon's promise-returning calls: a Napi::AsyncWorker whose subclass does its syscall in
// Execute() on the libuv pool and turns its plain C++ result into a JavaScript value in Result(), on the
// main thread. Subclasses own copies of their inputs (never pointers into JavaScript memory, which could
// be detached or resized while the pool thread runs) and a dup() of every fd they use, so closing the
// original fd from JavaScript during the call cannot redirect it to another object.
#pragma once

#include <napi.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include <utility>
#include <vector>

namespace progrun {

class PromiseWorker : public Napi::AsyncWorker {
 public:
  explicit PromiseWorker(Napi::Env env, const char* name)
      : Napi::AsyncWorker(env, name), deferred_(Napi::Promise::Deferred::New(env)) {}
  ~PromiseWorker() override {
    for (int fd : owned_fds_) close(fd);
  }

  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  // Converts the finished call's result into the promise's value (main thread).
  virtual Napi::Value Result(Napi::Env env) = 0;

  // Takes a private duplicate of fd for the duration of the call. Returns the duplicate, or -errno
  // (EBADF for a closed fd) which the subclass reports as the call's result without running it.
  int HoldFd(int fd) {
    int dup = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (dup < 0) return -errno;
    owned_fds_.push_back(dup);
    return dup;
  }

 private:
  // Settling never throws. When a worker thread is terminated with calls in flight, their completions run
  // while its environment is torn down and every call into JavaScript fails; an exception escaping here
  // would reach std::terminate and abort the whole process. The promise is then dropped: no one is left
  // to observe it. The dup'd fds are closed as usual when the worker is destroyed.
  void OnOK() override {
    try {
      deferred_.Resolve(Result(Env()));
    } catch (const Napi::Error& error) {
      RejectQuietly(error);
    }
  }
  // Execute() fails through SetError only when it cannot allocate: the rejection carries the code the
  // synchronous allocation failures throw with, as every error of the addon carries one.
  void OnError(const Napi::Error& error) override {
    try {
      error.Value().Set("code", "ERR_OUT_OF_MEMORY");
    } catch (const Napi::Error&) {
      // The environment is going away (see OnOK); RejectQuietly drops the promise.
    }
    RejectQuietly(error);
  }

  void RejectQuietly(const Napi::Error& error) {
    try {
      deferred_.Reject(error.Value());
    } catch (const Napi::Error&) {
      // The environment is going away (see OnOK).
    }
  }

  Napi::Promise::Deferred deferred_;
  std::vector<int> owned_fds_;
};

}  // namespace progrun
