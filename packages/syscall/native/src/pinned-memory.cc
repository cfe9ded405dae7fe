// Memory the addon owns, for user-space pointers a BPF program follows during a test run (a SYSCALL
// program's ctx holding a log buffer's address, as the kernel's syscall selftest passes it).
//
// pinnedMemory(size) -> { buffer: Buffer over the memory, address: bigint }
//   The memory is allocated here and freed when the Buffer is collected: it never moves (a JavaScript
//   ArrayBuffer can be transferred or detached meanwhile; this one is never handed to the caller, so
//   only the package's own code holds it). Zero-filled; size in [1, 2^28].
#include <cstdint>
#include <cstdlib>

#include "js-args.h"
#include "registry.h"

namespace progrun {
namespace {

constexpr std::uint32_t kMaxPinnedSize = 1u << 28;

napi_value PinnedMemory(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  std::uint32_t size = 0;
  if (!GetArgs(env, info, 1, argv) || !ReadU32(env, argv[0], "size", &size)) return nullptr;
  if (size == 0 || size > kMaxPinnedSize)
    return ThrowRangeError(env, "size", "must be in [1, 2^28] bytes"), nullptr;
  void* memory = std::calloc(size, 1);
  if (memory == nullptr) {
    napi_throw_range_error(env, "ERR_OUT_OF_MEMORY", "pinnedMemory: cannot allocate the memory");
    return nullptr;
  }
  napi_value buffer, address, result;
  if (napi_create_external_buffer(
          env, size, memory, [](napi_env, void* data, void*) { std::free(data); }, nullptr, &buffer) != napi_ok) {
    std::free(memory);
    return nullptr;
  }
  if (napi_create_bigint_uint64(env, reinterpret_cast<std::uintptr_t>(memory), &address) != napi_ok ||
      napi_create_object(env, &result) != napi_ok || napi_set_named_property(env, result, "buffer", buffer) != napi_ok ||
      napi_set_named_property(env, result, "address", address) != napi_ok)
    return nullptr;
  return result;
}

void Register(Napi::Env env, Napi::Object exports) { ExportFunction(env, exports, "pinnedMemory", PinnedMemory); }

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
