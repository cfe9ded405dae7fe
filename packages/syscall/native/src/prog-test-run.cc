// BPF_PROG_TEST_RUN (alias BPF_PROG_RUN), synchronous and on the libuv pool.
//
// progTestRun(progFd, dataIn, dataOut, ctxIn, ctxOut, repeat, flags, cpu, batchSize, results) -> 0 | -errno
//   Buffers may be null. Sizes are the buffers' byte lengths, so the kernel never writes past them: an
//   empty output buffer is passed as a NULL pointer (with data_size_out = 0 the kernel would otherwise copy
//   the whole packet, its pre-5.0 behaviour). results (Uint32Array(5)) receives retval, duration (ns per
//   run), data_size_out, ctx_size_out (what the kernel needed: larger than the buffer on ENOSPC) and the
//   number of EINTR restarts.
// progTestRunAsync(progFd, dataIn, dataOutSize, ctxIn, ctxOutSize, repeat, flags, cpu, batchSize, returnCtxIn)
//   -> Promise<{ errno, retval, duration, dataSizeOut, ctxSizeOut, restarts, dataOut?, ctxOut?, ctxIn? }>
//   Inputs are copied and outputs are fresh Buffers, so nothing JavaScript does meanwhile can touch the
//   memory the kernel writes. returnCtxIn: also return the copy of ctxIn after the run (SYSCALL programs'
//   test run writes the context back into ctx_in).
#include <cerrno>
#include <cstring>
#include <limits>
#include <vector>

#include "bpf-syscall.h"
#include "js-args.h"
#include "promise-worker.h"
#include "registry.h"

namespace progrun {
namespace {

constexpr unsigned int kTestRunAttrSize = PROGRUN_ATTR_SIZE(test.batch_size);
constexpr std::size_t kMaxSize = std::numeric_limits<std::uint32_t>::max();

struct TestRunInput {
  int prog_fd = -1;
  const std::uint8_t* data_in = nullptr;
  std::size_t data_in_size = 0;
  std::uint8_t* data_out = nullptr;
  std::size_t data_out_size = 0;
  const std::uint8_t* ctx_in = nullptr;
  std::size_t ctx_in_size = 0;
  std::uint8_t* ctx_out = nullptr;
  std::size_t ctx_out_size = 0;
  std::uint32_t repeat = 0;
  std::uint32_t flags = 0;
  std::uint32_t cpu = 0;
  std::uint32_t batch_size = 0;
};

struct TestRunOutput {
  long ret = 0;
  std::uint32_t retval = 0;
  std::uint32_t duration = 0;
  std::uint32_t data_size_out = 0;
  std::uint32_t ctx_size_out = 0;
  std::uint32_t restarts = 0;
};

TestRunOutput TestRun(const TestRunInput& in, bool block_signals) {
  union bpf_attr attr;
  std::memset(&attr, 0, kTestRunAttrSize);
  attr.test.prog_fd = static_cast<std::uint32_t>(in.prog_fd);
  if (in.data_in_size > 0) {
    attr.test.data_in = PtrToU64(in.data_in);
    attr.test.data_size_in = static_cast<std::uint32_t>(in.data_in_size);
  }
  if (in.data_out_size > 0) {
    attr.test.data_out = PtrToU64(in.data_out);
    attr.test.data_size_out = static_cast<std::uint32_t>(in.data_out_size);
  }
  if (in.ctx_in_size > 0) {
    attr.test.ctx_in = PtrToU64(in.ctx_in);
    attr.test.ctx_size_in = static_cast<std::uint32_t>(in.ctx_in_size);
  }
  if (in.ctx_out_size > 0) {
    attr.test.ctx_out = PtrToU64(in.ctx_out);
    attr.test.ctx_size_out = static_cast<std::uint32_t>(in.ctx_out_size);
  }
  attr.test.repeat = in.repeat;
  attr.test.flags = in.flags;
  attr.test.cpu = in.cpu;
  attr.test.batch_size = in.batch_size;

  TestRunOutput out;
  out.ret = SysBpfRestarting(BPF_PROG_TEST_RUN, &attr, kTestRunAttrSize, RestartPolicy{block_signals}, &out.restarts);
  out.retval = attr.test.retval;
  out.duration = attr.test.duration;
  out.data_size_out = attr.test.data_size_out;
  out.ctx_size_out = attr.test.ctx_size_out;
  return out;
}

bool CheckSize(napi_env env, std::size_t size, const char* what) {
  return size <= kMaxSize || ThrowRangeError(env, what, "must be at most 2^32-1 bytes");
}

napi_value ProgTestRun(napi_env env, napi_callback_info info) {
  napi_value argv[10];
  if (!GetArgs(env, info, 10, argv)) return nullptr;
  TestRunInput in;
  Bytes data_in, data_out, ctx_in, ctx_out;
  std::uint32_t* results = nullptr;
  if (!ReadFd(env, argv[0], "progFd", &in.prog_fd) || !ReadBytes(env, argv[1], "dataIn", true, &data_in) ||
      !ReadBytes(env, argv[2], "dataOut", true, &data_out) || !ReadBytes(env, argv[3], "ctxIn", true, &ctx_in) ||
      !ReadBytes(env, argv[4], "ctxOut", true, &ctx_out) || !ReadU32(env, argv[5], "repeat", &in.repeat) ||
      !ReadU32(env, argv[6], "flags", &in.flags) || !ReadU32(env, argv[7], "cpu", &in.cpu) ||
      !ReadU32(env, argv[8], "batchSize", &in.batch_size) || !ReadU32Array(env, argv[9], "results", 5, &results) ||
      !CheckSize(env, data_in.length, "dataIn") || !CheckSize(env, data_out.length, "dataOut") ||
      !CheckSize(env, ctx_in.length, "ctxIn") || !CheckSize(env, ctx_out.length, "ctxOut"))
    return nullptr;
  in.data_in = data_in.data;
  in.data_in_size = data_in.length;
  in.data_out = data_out.data;
  in.data_out_size = data_out.length;
  in.ctx_in = ctx_in.data;
  in.ctx_in_size = ctx_in.length;
  in.ctx_out = ctx_out.data;
  in.ctx_out_size = ctx_out.length;

  // One run cannot be interrupted by a signal; several can, so only then pay for masking signals.
  TestRunOutput out = TestRun(in, in.repeat > 1);
  results[0] = out.retval;
  results[1] = out.duration;
  results[2] = out.data_size_out;
  results[3] = out.ctx_size_out;
  results[4] = out.restarts;
  return MakeInt(env, out.ret < 0 ? out.ret : 0);
}

class TestRunWorker : public PromiseWorker {
 public:
  TestRunWorker(Napi::Env env, int prog_fd, const Bytes& data_in, std::size_t data_out_size, const Bytes& ctx_in,
                std::size_t ctx_out_size, const TestRunInput& scalars, bool return_ctx_in)
      : PromiseWorker(env, "progrun:BPF_PROG_TEST_RUN"),
        data_in_(data_in.data, data_in.data + data_in.length),
        ctx_in_(ctx_in.data, ctx_in.data + ctx_in.length),
        data_out_(data_out_size),
        ctx_out_(ctx_out_size),
        input_(scalars),
        return_ctx_in_(return_ctx_in) {
    held_fd_ = HoldFd(prog_fd);
    input_.prog_fd = held_fd_;
    input_.data_in = data_in_.data();
    input_.data_in_size = data_in_.size();
    input_.ctx_in = ctx_in_.data();
    input_.ctx_in_size = ctx_in_.size();
    input_.data_out = data_out_.data();
    input_.data_out_size = data_out_.size();
    input_.ctx_out = ctx_out_.data();
    input_.ctx_out_size = ctx_out_.size();
  }

 protected:
  void Execute() override {
    if (held_fd_ < 0) {
      output_.ret = held_fd_;
      return;
    }
    output_ = TestRun(input_, true);
  }

  Napi::Value Result(Napi::Env env) override {
    Napi::Object result = Napi::Object::New(env);
    result.Set("errno", Napi::Number::New(env, output_.ret < 0 ? static_cast<double>(-output_.ret) : 0));
    result.Set("retval", Napi::Number::New(env, output_.retval));
    result.Set("duration", Napi::Number::New(env, output_.duration));
    result.Set("dataSizeOut", Napi::Number::New(env, output_.data_size_out));
    result.Set("ctxSizeOut", Napi::Number::New(env, output_.ctx_size_out));
    result.Set("restarts", Napi::Number::New(env, output_.restarts));
    if (!data_out_.empty())
      result.Set("dataOut", Napi::Buffer<std::uint8_t>::Copy(
                                env, data_out_.data(), std::min<std::size_t>(output_.data_size_out, data_out_.size())));
    if (!ctx_out_.empty())
      result.Set("ctxOut", Napi::Buffer<std::uint8_t>::Copy(
                               env, ctx_out_.data(), std::min<std::size_t>(output_.ctx_size_out, ctx_out_.size())));
    if (return_ctx_in_) result.Set("ctxIn", Napi::Buffer<std::uint8_t>::Copy(env, ctx_in_.data(), ctx_in_.size()));
    return result;
  }

 private:
  std::vector<std::uint8_t> data_in_, ctx_in_, data_out_, ctx_out_;
  TestRunInput input_;
  TestRunOutput output_;
  bool return_ctx_in_;
  int held_fd_ = -1;
};

napi_value ProgTestRunAsync(napi_env raw_env, napi_callback_info info) {
  napi_value argv[10];
  if (!GetArgs(raw_env, info, 10, argv)) return nullptr;
  TestRunInput scalars;
  int prog_fd = -1;
  Bytes data_in, ctx_in;
  std::uint32_t data_out_size = 0, ctx_out_size = 0;
  if (!ReadFd(raw_env, argv[0], "progFd", &prog_fd) || !ReadBytes(raw_env, argv[1], "dataIn", true, &data_in) ||
      !ReadU32(raw_env, argv[2], "dataOutSize", &data_out_size) ||
      !ReadBytes(raw_env, argv[3], "ctxIn", true, &ctx_in) || !ReadU32(raw_env, argv[4], "ctxOutSize", &ctx_out_size) ||
      !ReadU32(raw_env, argv[5], "repeat", &scalars.repeat) || !ReadU32(raw_env, argv[6], "flags", &scalars.flags) ||
      !ReadU32(raw_env, argv[7], "cpu", &scalars.cpu) || !ReadU32(raw_env, argv[8], "batchSize", &scalars.batch_size) ||
      !CheckSize(raw_env, data_in.length, "dataIn") || !CheckSize(raw_env, ctx_in.length, "ctxIn"))
    return nullptr;
  bool return_ctx_in = false;
  if (napi_get_value_bool(raw_env, argv[9], &return_ctx_in) != napi_ok) return_ctx_in = false;
  Napi::Env env(raw_env);
  try {
    auto* worker = new TestRunWorker(env, prog_fd, data_in, data_out_size, ctx_in, ctx_out_size, scalars, return_ctx_in);
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  } catch (const std::bad_alloc&) {
    napi_throw_range_error(raw_env, "ERR_OUT_OF_MEMORY", "progTestRunAsync: cannot allocate the run's buffers");
    return nullptr;
  }
}

void Register(Napi::Env env, Napi::Object exports) {
  ExportFunction(env, exports, "progTestRun", ProgTestRun);
  ExportFunction(env, exports, "progTestRunAsync", ProgTestRunAsync);
  exports.Set("TEST_RUN_ATTR_SIZE", Napi::Number::New(env, kTestRunAttrSize));
}

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
