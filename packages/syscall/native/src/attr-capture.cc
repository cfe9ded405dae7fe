// attrCaptureStart(ret, passThrough), attrCaptureStop() -> [{ command, size, attr }]: see attr-capture.h.
// passThrough: a Uint32Array of commands that still reach the kernel (the map commands first ask the
// kernel for the map's sizes with BPF_OBJ_GET_INFO_BY_FD, which a test lets through). Test support,
// compiled in always (the check is one atomic load per bpf() call) and typed @internal in src/native.ts.
// The capture is process-wide: every thread's bpf() calls, the libuv pool's included, are recorded and
// not made while it is active. libbpf's own calls (native/src/elf-object.cc) do not go through SysBpf.
#include "attr-capture.h"

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <vector>

#include "bpf-syscall.h"
#include "generated/native-calls.h"
#include "js-args.h"
#include "registry.h"

namespace progrun {
namespace {

struct Record {
  int cmd;
  unsigned int size;
  std::vector<std::uint8_t> bytes;
};

std::atomic<bool> active{false};
std::mutex mutex;
std::vector<Record> records;
std::vector<int> pass_through;
long result = 0;

napi_value AttrCaptureStart(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  std::int32_t ret = 0;
  Bytes passed;
  if (!GetArgs(env, info, 2, argv) || !ReadI32(env, argv[0], "ret", &ret) ||
      !ReadBytes(env, argv[1], "passThrough", true, &passed))
    return nullptr;
  // The callers reissue a call that failed with EINTR (and a load with EAGAIN a few times): a capture
  // answering EINTR would never end.
  if (ret == -EINTR) return ThrowRangeError(env, "ret", "must not be -EINTR"), nullptr;
  std::lock_guard<std::mutex> lock(mutex);
  records.clear();
  pass_through.clear();
  for (std::size_t i = 0; i + sizeof(std::uint32_t) <= passed.length; i += sizeof(std::uint32_t)) {
    std::uint32_t cmd;
    std::memcpy(&cmd, passed.data + i, sizeof(cmd));
    pass_through.push_back(static_cast<int>(cmd));
  }
  result = ret;
  active.store(true, std::memory_order_release);
  return nullptr;
}

napi_value AttrCaptureStop(napi_env raw_env, napi_callback_info) {
  std::vector<Record> taken;
  {
    std::lock_guard<std::mutex> lock(mutex);
    active.store(false, std::memory_order_release);
    taken.swap(records);
  }
  Napi::Env env(raw_env);
  Napi::Array list = Napi::Array::New(env, taken.size());
  for (std::size_t i = 0; i < taken.size(); i++) {
    Napi::Object record = Napi::Object::New(env);
    record.Set("command", Napi::Number::New(env, taken[i].cmd));
    record.Set("size", Napi::Number::New(env, taken[i].size));
    record.Set("attr", Napi::Buffer<std::uint8_t>::Copy(env, taken[i].bytes.data(), taken[i].bytes.size()));
    list.Set(static_cast<std::uint32_t>(i), record);
  }
  return list;
}

void Register(Napi::Env env, Napi::Object exports) {
  ExportFunction(env, exports, "attrCaptureStart", AttrCaptureStart);
  ExportFunction(env, exports, "attrCaptureStop", AttrCaptureStop);
  exports.Set("nativeBoundary", Napi::String::New(env, kNativeBoundary));
}

}  // namespace

bool AttrCaptureTakes(int cmd) {
  if (!active.load(std::memory_order_relaxed)) return false;
  std::lock_guard<std::mutex> lock(mutex);
  for (int passed : pass_through)
    if (passed == cmd) return false;
  return true;
}

long CaptureAttr(int cmd, const union bpf_attr* attr, unsigned int size) {
  std::lock_guard<std::mutex> lock(mutex);
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(attr);
  records.push_back(Record{cmd, size, std::vector<std::uint8_t>(bytes, bytes + size)});
  return result;
}

PROGRUN_REGISTER(Register);
}  // namespace progrun
