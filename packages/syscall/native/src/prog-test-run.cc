// BPF_PROG_TEST_RUN (alias BPF_PROG_RUN), synchronously and on the libuv pool.
//
// progTestRun(dataIn, dataOut, ctxIn, ctxOut), the synchronous hot path.
//   The four buffers are ArrayBuffers (or undefined); which bytes of each to use, the program fd and the
//   scalars come from testRunSlots, a Uint32Array over memory the addon owns, which JavaScript fills
//   before the call and reads the results from after it (slot indices: TestRunSlot in
//   generated/native-calls.h, from generator/native-calls.ts). This keeps a call to one argument read and
//   one bounds check per buffer. Every (offset, length) is checked against its ArrayBuffer's current
//   length. A zero length passes a NULL pointer without looking at the buffer, unless the emptyBuffers
//   slot marks the buffer present: it then gets a non-NULL pointer of size 0 (the kernel refuses that for
//   ctx_in and ctx_out, and callers must be able to ask). Never dataOut: with data_size_out 0 the kernel
//   would copy the whole packet (its pre-5.0 behaviour). After the call the result slots hold retval,
//   duration (ns per run), data_size_out, ctx_size_out (what the kernel needed: larger than the buffer on
//   ENOSPC), the number of EINTR restarts and bpf()'s own return value: -errno, or what the kernel
//   returned (0, or the value a RAW_TRACEPOINT_WRITABLE program on bpf_test_finish wrote).
// progTestRunAsync(...ProgTestRunAsyncArgs)
//   -> Promise<{ ret, retval, duration, dataSizeOut, ctxSizeOut, restarts, chunks, dataOut?, ctxOut?, ctxIn? }>
//   Inputs are copied and outputs are fresh Buffers, so nothing JavaScript does meanwhile can touch the
//   memory the kernel writes. ctxOutSize -1 passes no ctx_out, 0 an empty one. returnCtxIn: also return
//   the copy of ctxIn after the run (SYSCALL programs' test run writes the context back into ctx_in).
//   A long repeat runs in chunks (test-run-chunks.h); testRunCancel(cancelId) stops it between two, and
//   ret is then -ECANCELED.
#include <cerrno>
#include <cstring>
#include <limits>
#include <vector>

#include "bpf-syscall.h"
#include "generated/native-calls.h"
#include "js-args.h"
#include "promise-worker.h"
#include "registry.h"
#include "test-run-cancel.h"
#include "test-run-chunks.h"
#include "test-run.h"

namespace progrun {
namespace {

constexpr std::size_t kMaxSize = std::numeric_limits<std::uint32_t>::max();
// Largest output the async path allocates (the TypeScript layer allows 16 MiB).
constexpr std::uint32_t kMaxAsyncOutput = 1u << 28;

bool CheckSize(napi_env env, std::size_t size, const char* what) {
  return size <= kMaxSize || ThrowRangeError(env, what, "must be at most 2^32-1 bytes");
}

// Bits of the emptyBuffers slot.
constexpr std::uint32_t kEmptyDataIn = 1, kEmptyCtxIn = 2, kEmptyCtxOut = 4;

// The bytes [offset, offset + length) of the ArrayBuffer `value`; false with a pending RangeError/
// TypeError when they are not all inside it. A zero length yields nullptr without looking at value.
bool SlotBytes(napi_env env, napi_value value, std::uint32_t offset, std::uint32_t length, const char* what,
               std::uint8_t** out) {
  *out = nullptr;
  if (length == 0) return true;
  void* data = nullptr;
  std::size_t byte_length = 0;
  if (napi_get_arraybuffer_info(env, value, &data, &byte_length) != napi_ok)
    return ThrowTypeError(env, what, "must be an ArrayBuffer");
  if (data == nullptr || static_cast<std::size_t>(offset) + length > byte_length)
    return ThrowRangeError(env, what, "offset and length must lie inside the ArrayBuffer");
  *out = static_cast<std::uint8_t*>(data) + offset;
  return true;
}

napi_value ProgTestRun(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  void* data = nullptr;
  if (!GetArgs(env, info, 4, argv, &data)) return nullptr;
  std::uint32_t* slots = static_cast<std::uint32_t*>(data);
  TestRunInput in;
  std::uint8_t *data_in, *data_out, *ctx_in, *ctx_out;
  if (!SlotBytes(env, argv[0], slots[kDataInOffset], slots[kDataInLength], "dataIn", &data_in) ||
      !SlotBytes(env, argv[1], slots[kDataOutOffset], slots[kDataOutLength], "dataOut", &data_out) ||
      !SlotBytes(env, argv[2], slots[kCtxInOffset], slots[kCtxInLength], "ctxIn", &ctx_in) ||
      !SlotBytes(env, argv[3], slots[kCtxOutOffset], slots[kCtxOutLength], "ctxOut", &ctx_out))
    return nullptr;
  const std::uint32_t empty = slots[kEmptyBuffers];
  in.pass_empty_data_in = (empty & kEmptyDataIn) != 0;
  in.pass_empty_ctx_in = (empty & kEmptyCtxIn) != 0;
  in.pass_empty_ctx_out = (empty & kEmptyCtxOut) != 0;
  if (slots[kProgFd] > 0x7fffffffu) return ThrowRangeError(env, "progFd", "must be a file descriptor"), nullptr;
  in.prog_fd = static_cast<int>(slots[kProgFd]);
  in.data_in = data_in;
  in.data_in_size = data_in == nullptr ? 0 : slots[kDataInLength];
  in.data_out = data_out;
  in.data_out_size = data_out == nullptr ? 0 : slots[kDataOutLength];
  in.ctx_in = ctx_in;
  in.ctx_in_size = ctx_in == nullptr ? 0 : slots[kCtxInLength];
  in.ctx_out = ctx_out;
  in.ctx_out_size = ctx_out == nullptr ? 0 : slots[kCtxOutLength];
  in.repeat = slots[kRepeat];
  in.flags = slots[kFlags];
  in.cpu = slots[kCpu];
  in.batch_size = slots[kBatchSize];

  // One run cannot be interrupted by a signal; several can, so only then pay for masking signals.
  TestRunOutput out = TestRun(in, in.repeat > 1);
  slots[kRetval] = out.retval;
  slots[kDuration] = out.duration;
  slots[kDataSizeOut] = out.data_size_out;
  slots[kCtxSizeOut] = out.ctx_size_out;
  slots[kRestarts] = out.restarts;
  // bpf() returns an int: -errno, or what the test run returned.
  slots[kRet] = static_cast<std::uint32_t>(static_cast<std::int32_t>(out.ret));
  return nullptr;
}

class TestRunWorker : public PromiseWorker {
 public:
  TestRunWorker(Napi::Env env, const ProgTestRunAsyncArgs& args)
      : PromiseWorker(env, "progrun:BPF_PROG_TEST_RUN"),
        cancel_(env, args.cancel_id),
        data_in_(args.data_in.data, args.data_in.data + args.data_in.length),
        ctx_in_(args.ctx_in.data, args.ctx_in.data + args.ctx_in.length),
        data_out_(args.data_out_size),
        ctx_out_(args.ctx_out_size < 0 ? 0 : static_cast<std::size_t>(args.ctx_out_size)),
        return_ctx_in_(args.return_ctx_in),
        return_ctx_out_(args.ctx_out_size >= 0) {
    held_fd_ = HoldFd(args.prog_fd);
    input_.prog_fd = held_fd_;
    input_.data_in = data_in_.data();
    input_.data_in_size = data_in_.size();
    input_.pass_empty_data_in = args.data_in.present;
    input_.ctx_in = ctx_in_.data();
    input_.ctx_in_size = ctx_in_.size();
    input_.pass_empty_ctx_in = args.ctx_in.present;
    input_.data_out = data_out_.data();
    input_.data_out_size = data_out_.size();
    input_.ctx_out = ctx_out_.data();
    input_.ctx_out_size = ctx_out_.size();
    input_.pass_empty_ctx_out = args.ctx_out_size == 0;
    input_.repeat = args.repeat;
    input_.flags = args.flags;
    input_.cpu = args.cpu;
    input_.batch_size = args.batch_size;
  }

 protected:
  void Execute() override {
    if (held_fd_ < 0) {
      output_.ret = held_fd_;
      return;
    }
    ChunkedRun run = TestRunChunked(input_, cancel_.flag());
    output_ = run.out;
    chunks_ = run.chunks;
  }

  Napi::Value Result(Napi::Env env) override {
    Napi::Object result = Napi::Object::New(env);
    result.Set("ret", Napi::Number::New(env, static_cast<double>(output_.ret)));
    result.Set("retval", Napi::Number::New(env, output_.retval));
    result.Set("duration", Napi::Number::New(env, output_.duration));
    result.Set("dataSizeOut", Napi::Number::New(env, output_.data_size_out));
    result.Set("ctxSizeOut", Napi::Number::New(env, output_.ctx_size_out));
    result.Set("restarts", Napi::Number::New(env, output_.restarts));
    result.Set("chunks", Napi::Number::New(env, chunks_));
    if (!data_out_.empty())
      result.Set("dataOut", Napi::Buffer<std::uint8_t>::Copy(
                                env, data_out_.data(), std::min<std::size_t>(output_.data_size_out, data_out_.size())));
    if (return_ctx_out_)
      result.Set("ctxOut", Napi::Buffer<std::uint8_t>::Copy(
                               env, ctx_out_.data(), std::min<std::size_t>(output_.ctx_size_out, ctx_out_.size())));
    if (return_ctx_in_) result.Set("ctxIn", Napi::Buffer<std::uint8_t>::Copy(env, ctx_in_.data(), ctx_in_.size()));
    return result;
  }

 private:
  CancelRegistration cancel_;
  std::vector<std::uint8_t> data_in_, ctx_in_, data_out_, ctx_out_;
  TestRunInput input_;
  TestRunOutput output_;
  std::uint32_t chunks_ = 0;
  bool return_ctx_in_;
  bool return_ctx_out_;
  int held_fd_ = -1;
};

napi_value ProgTestRunAsync(napi_env raw_env, napi_callback_info info) {
  ProgTestRunAsyncArgs args;
  if (!ReadProgTestRunAsyncArgs(raw_env, info, &args) || !CheckSize(raw_env, args.data_in.length, "dataIn") ||
      !CheckSize(raw_env, args.ctx_in.length, "ctxIn"))
    return nullptr;
  if (args.ctx_out_size < -1)
    return ThrowRangeError(raw_env, "ctxOutSize", "must be -1 (no ctx_out) or a size"), nullptr;
  if (args.data_out_size > kMaxAsyncOutput || args.ctx_out_size > static_cast<std::int64_t>(kMaxAsyncOutput))
    return ThrowRangeError(raw_env, "dataOutSize/ctxOutSize", "must be at most 256 MiB"), nullptr;
  Napi::Env env(raw_env);
  try {
    auto* worker = new TestRunWorker(env, args);
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  } catch (const std::bad_alloc&) {
    napi_throw_range_error(raw_env, "ERR_OUT_OF_MEMORY", "progTestRunAsync: cannot allocate the run's buffers");
    return nullptr;
  }
}

void Register(Napi::Env env, Napi::Object exports) {
  // The slots are the addon's memory, freed when the environment shuts down: JavaScript can drop its
  // view of them, never free them under the function that uses them.
  auto* slots = new std::uint32_t[kSlotCount]();
  NAPI_THROW_IF_FAILED_VOID(env, napi_add_env_cleanup_hook(
                                     env, [](void* memory) { delete[] static_cast<std::uint32_t*>(memory); }, slots));
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, slots, kSlotCount * sizeof(std::uint32_t));
  exports.Set("testRunSlots", Napi::Uint32Array::New(env, kSlotCount, buffer, 0));
  ExportFunction(env, exports, "progTestRun", ProgTestRun, slots);
  ExportFunction(env, exports, "progTestRunAsync", ProgTestRunAsync);
  exports.Set("TEST_RUN_ATTR_SIZE", Napi::Number::New(env, kTestRunAttrSize));
}

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
