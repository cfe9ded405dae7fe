// progTestRunEach(progFd, count, inputs, buffers, results, out, outOffset), synchronously, and
// progTestRunEachAsync(progFd, count, inputs, buffers, cancelId) on the libuv pool: one BPF_PROG_TEST_RUN
// per input row, many per crossing (rows and packing: test-run-each.h).
//
// The synchronous form writes the header and result rows into `results` and the outputs into `out` from
// outOffset on, and stops before an input whose outputs would not fit (JavaScript continues with a new
// output slab). The async form copies every input's bytes, duplicates the program fd, runs the inputs on
// a pool thread (long repeats in chunks, stopping between inputs and chunks when cancelled) and resolves
// with one ArrayBuffer: header, result rows, outputs.
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#include "bpf-syscall.h"
#include "generated/native-calls.h"
#include "js-args.h"
#include "promise-worker.h"
#include "registry.h"
#include "test-run-cancel.h"
#include "test-run-chunks.h"
#include "test-run-each.h"

namespace progrun {
namespace {

constexpr std::size_t kHeaderBytes = kEachHeadCount * sizeof(std::uint32_t);
constexpr std::size_t kRowBytes = kEachOutCount * sizeof(std::uint32_t);
// Results up to this size are copied into an engine-allocated ArrayBuffer; larger ones are handed over.
constexpr std::size_t kCopyLimit = 64 * 1024;

bool CheckTables(napi_env env, std::uint32_t count, const U32Table& inputs) {
  if (inputs.length / kEachInCount < count)
    return ThrowRangeError(env, "inputs", "must hold count rows of TestRunEachInput fields");
  return true;
}

bool ThrowRow(napi_env env, std::uint32_t index, const char* problem) {
  std::string what = "inputs row " + std::to_string(index) + ":";
  return ThrowRangeError(env, what.c_str(), problem);
}

napi_value ProgTestRunEach(napi_env env, napi_callback_info info) {
  ProgTestRunEachArgs args;
  if (!ReadProgTestRunEachArgs(env, info, &args) || !CheckTables(env, args.count, args.inputs)) return nullptr;
  if ((args.results.length - std::min<std::size_t>(args.results.length, kEachHeadCount)) / kEachOutCount < args.count)
    return ThrowRangeError(env, "results", "must hold the header and count rows of TestRunEachResult fields"), nullptr;
  if (args.out_offset > args.out.length || args.out_offset % 8 != 0)
    return ThrowRangeError(env, "outOffset", "must be a multiple of 8 inside out"), nullptr;
  EachBuffers buffers(env, args.buffers);
  std::uint32_t* header = args.results.data;
  std::uint32_t* rows = header + kEachHeadCount;
  // One repeated run can be interrupted by a signal; only then is masking signals worth its two syscalls,
  // once for the whole batch.
  bool repeated = false;
  for (std::uint32_t i = 0; i < args.count; i++) repeated |= args.inputs.data[i * kEachInCount + kEachInRepeat] > 1;
  ScopedSignalBlock block(repeated);
  std::size_t cursor = args.out_offset;
  std::uint32_t done = 0;
  for (; done < args.count; done++) {
    EachItem item;
    const char* problem = nullptr;
    if (!ReadEachRow(args.inputs.data + done * kEachInCount, buffers, &item, &problem))
      return ThrowRow(env, done, problem), nullptr;
    if (item.skip) {
      std::memset(rows + done * kEachOutCount, 0, kRowBytes);
      continue;
    }
    // The cursor is 8-aligned and may pass the end of an out whose length is not.
    if (cursor > args.out.length || item.Room() > args.out.length - cursor) break;
    item.in.prog_fd = args.prog_fd;
    TestRunOutput out = TestRun(EachRunInput(item, args.out.data, cursor), false);
    cursor = PackEachOutputs(item, out, 1, args.out.data, cursor, rows + done * kEachOutCount);
  }
  header[kEachHeadDone] = done;
  header[kEachHeadEnd] = static_cast<std::uint32_t>(std::min<std::size_t>(cursor, args.out.length));
  header[kEachHeadCancelled] = 0;
  header[kEachHeadReserved] = 0;
  return MakeInt(env, done);
}

// The async call's result: header, rows and outputs in one malloc'd block that becomes the resolved
// ArrayBuffer without a copy.
class OutputBlock {
 public:
  ~OutputBlock() { std::free(data_); }
  bool Reserve(std::size_t size) {
    if (size <= capacity_) return true;
    std::size_t capacity = std::max(size, capacity_ * 2);
    void* grown = std::realloc(data_, capacity);
    if (grown == nullptr) return false;
    data_ = static_cast<std::uint8_t*>(grown);
    capacity_ = capacity;
    return true;
  }
  // Gives back the capacity past size (realloc in place; on failure the block stays as it was).
  void Shrink(std::size_t size) {
    if (size == 0 || size >= capacity_) return;
    void* shrunk = std::realloc(data_, size);
    if (shrunk == nullptr) return;
    data_ = static_cast<std::uint8_t*>(shrunk);
    capacity_ = size;
  }
  std::uint8_t* data() { return data_; }
  // Hands the memory over (to an ArrayBuffer that frees it).
  std::uint8_t* Release() {
    std::uint8_t* data = data_;
    data_ = nullptr;
    capacity_ = 0;
    return data;
  }

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t capacity_ = 0;
};

class EachWorker : public PromiseWorker {
 public:
  EachWorker(Napi::Env env, int prog_fd, std::uint32_t cancel_id, std::uint32_t count)
      : PromiseWorker(env, "progrun:BPF_PROG_TEST_RUN"), cancel_(env, cancel_id), items_(count) {
    held_fd_ = HoldFd(prog_fd);
  }

  // Copies the rows' input bytes; false with *problem / *failed_row when a row is malformed.
  bool CopyInputs(const std::uint32_t* rows, EachBuffers& buffers, const char** problem, std::uint32_t* failed_row) {
    std::size_t total = 0;
    for (std::uint32_t i = 0; i < items_.size(); i++) {
      if (!ReadEachRow(rows + i * kEachInCount, buffers, &items_[i], problem)) return *failed_row = i, false;
      total += Align8(items_[i].in.data_in_size) + Align8(items_[i].in.ctx_in_size);
    }
    bytes_.resize(total);
    std::size_t at = 0;
    for (EachItem& item : items_) {
      at = Copy(&item.in.data_in, item.in.data_in_size, at);
      at = Copy(&item.in.ctx_in, item.in.ctx_in_size, at);
      item.in.prog_fd = held_fd_;
    }
    return true;
  }

 protected:
  void Execute() override {
    const std::size_t rows_end = kHeaderBytes + items_.size() * kRowBytes;
    // Room for the rows and the largest single input's outputs: one allocation for a call with one input
    // (runAsync), and the block only grows as the packed outputs need.
    std::size_t largest = 0;
    for (const EachItem& item : items_) largest = std::max(largest, item.Room());
    if (!out_.Reserve(rows_end + largest)) return SetError("progTestRunEachAsync: cannot allocate the outputs");
    std::memset(out_.data(), 0, rows_end);
    std::size_t cursor = rows_end;
    std::uint32_t done = 0;
    bool cancelled = false;
    for (; done < items_.size(); done++) {
      EachItem& item = items_[done];
      if (item.skip) continue;
      if (cancel_.flag().Requested()) {
        cancelled = true;
        break;
      }
      if (!out_.Reserve(cursor + item.Room())) return SetError("progTestRunEachAsync: cannot allocate the outputs");
      std::uint8_t* base = out_.data();
      std::uint32_t* row = reinterpret_cast<std::uint32_t*>(base + kHeaderBytes) + done * kEachOutCount;
      if (held_fd_ < 0) {
        TestRunOutput failed;
        failed.ret = held_fd_;
        cursor = PackEachOutputs(EachItem{}, failed, 0, base, cursor, row);
        continue;
      }
      ChunkedRun run = TestRunChunked(EachRunInput(item, base, cursor), cancel_.flag());
      if (run.out.ret == -ECANCELED) {
        cancelled = true;
        break;
      }
      cursor = PackEachOutputs(item, run.out, run.chunks, base, cursor, row);
    }
    std::uint32_t* header = reinterpret_cast<std::uint32_t*>(out_.data());
    header[kEachHeadDone] = done;
    header[kEachHeadEnd] = static_cast<std::uint32_t>(cursor);
    header[kEachHeadCancelled] = cancelled ? 1 : 0;
    size_ = cursor;
    // The room reserved for the last input's outputs (a page and more) is mostly unused: give it back
    // before the block is handed to JavaScript.
    if (size_ > kCopyLimit) out_.Shrink(size_);
  }

  Napi::Value Result(Napi::Env env) override {
    // A small result (one run's, a short batch's) is copied into an ArrayBuffer of the engine's own: an
    // external one costs a finalizer and a weak handle each, far more than copying a few hundred bytes.
    if (size_ <= kCopyLimit) {
      Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, size_);
      if (size_ > 0) std::memcpy(buffer.Data(), out_.data(), size_);
      return buffer;
    }
    std::uint8_t* data = out_.Release();
    return Napi::ArrayBuffer::New(env, data, size_, [](Napi::Env, void* memory) { std::free(memory); });
  }

 private:
  std::size_t Copy(const std::uint8_t** data, std::size_t size, std::size_t at) {
    if (size == 0) return at;
    std::memcpy(bytes_.data() + at, *data, size);
    *data = bytes_.data() + at;
    return at + Align8(size);
  }

  CancelRegistration cancel_;
  std::vector<EachItem> items_;
  std::vector<std::uint8_t> bytes_;
  OutputBlock out_;
  std::size_t size_ = 0;
  int held_fd_ = -1;
};

napi_value ProgTestRunEachAsync(napi_env raw_env, napi_callback_info info) {
  ProgTestRunEachAsyncArgs args;
  if (!ReadProgTestRunEachAsyncArgs(raw_env, info, &args) || !CheckTables(raw_env, args.count, args.inputs))
    return nullptr;
  Napi::Env env(raw_env);
  EachWorker* worker = nullptr;
  try {
    worker = new EachWorker(env, args.prog_fd, args.cancel_id, args.count);
    EachBuffers buffers(raw_env, args.buffers);
    const char* problem = nullptr;
    std::uint32_t failed_row = 0;
    if (!worker->CopyInputs(args.inputs.data, buffers, &problem, &failed_row)) {
      delete worker;
      return ThrowRow(raw_env, failed_row, problem), nullptr;
    }
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  } catch (const std::bad_alloc&) {
    delete worker;
    napi_throw_range_error(raw_env, "ERR_OUT_OF_MEMORY", "progTestRunEachAsync: cannot allocate the inputs");
    return nullptr;
  }
}

void Register(Napi::Env env, Napi::Object exports) {
  ExportFunction(env, exports, "progTestRunEach", ProgTestRunEach);
  ExportFunction(env, exports, "progTestRunEachAsync", ProgTestRunEachAsync);
}

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
