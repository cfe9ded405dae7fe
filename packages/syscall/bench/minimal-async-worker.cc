// The floor for runAsync in the benchmark: the least a Node-API addon can do to make the benchmark's
// BPF_PROG_TEST_RUN call on the libuv pool. A Napi::AsyncWorker copies the packet, makes the raw call in
// Execute() into a buffer it owns, and resolves a promise with the program's return value; no
// validation, no output returned, no error handling beyond a rejected promise.
//
// run(progFd, packet) -> Promise<number>
#include <linux/bpf.h>
#include <napi.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>

namespace {

class Run : public Napi::AsyncWorker {
 public:
  Run(Napi::Env env, int prog_fd, const Napi::Buffer<unsigned char>& packet)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), prog_fd_(prog_fd),
        size_(packet.Length() < sizeof(in_) ? packet.Length() : sizeof(in_)) {
    std::memcpy(in_, packet.Data(), size_);
  }
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    union bpf_attr attr;
    const unsigned int attr_size = offsetof(union bpf_attr, test.batch_size) + sizeof(__u32);
    std::memset(&attr, 0, attr_size);
    attr.test.prog_fd = static_cast<__u32>(prog_fd_);
    attr.test.data_in = reinterpret_cast<__u64>(in_);
    attr.test.data_size_in = static_cast<__u32>(size_);
    attr.test.data_out = reinterpret_cast<__u64>(out_);
    attr.test.data_size_out = sizeof(out_);
    if (syscall(__NR_bpf, BPF_PROG_TEST_RUN, &attr, attr_size) != 0) return SetError("BPF_PROG_TEST_RUN failed");
    retval_ = attr.test.retval;
  }
  void OnOK() override { deferred_.Resolve(Napi::Number::New(Env(), retval_)); }
  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  int prog_fd_;
  std::size_t size_;
  unsigned char in_[64];
  unsigned char out_[64 + 256 + 4096];
  __u32 retval_ = 0;
};

Napi::Value RunAsync(const Napi::CallbackInfo& info) {
  auto* worker = new Run(info.Env(), info[0].As<Napi::Number>().Int32Value(), info[1].As<Napi::Buffer<unsigned char>>());
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("run", Napi::Function::New(env, RunAsync));
  return exports;
}

}  // namespace

NODE_API_MODULE(minimal_async_worker, Init)
