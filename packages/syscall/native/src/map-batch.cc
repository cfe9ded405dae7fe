// The batch map commands (Linux 5.6+), one export each, sharing one implementation:
//   mapLookupBatch, mapLookupAndDeleteBatch, mapUpdateBatch, mapDeleteBatch
//   (mapFd, inBatch | null, outBatch | null, keys, values | null, count, elemFlags, flags, results) -> 0 | -errno
// count is how many elements the buffers hold; results (Uint32Array(1)) receives the count the kernel
// processed, which it reports on success and on ENOENT (end of map) alike. in/out batch tokens must hold
// max(key_size, 4) bytes. The buffers are checked against the map's own sizes before the call.
#include <cstdint>
#include <cstring>

#include "bpf-syscall.h"
#include "js-args.h"
#include "map-shape.h"
#include "registry.h"

namespace progrun {
namespace {

constexpr unsigned int kBatchAttrSize = PROGRUN_ATTR_SIZE(batch.flags);

struct BatchCommand {
  int cmd;
  bool uses_tokens;  // lookup commands walk the map with in/out batch tokens
  bool uses_values;  // delete has no values
};

const BatchCommand kLookupBatch{BPF_MAP_LOOKUP_BATCH, true, true};
const BatchCommand kLookupAndDeleteBatch{BPF_MAP_LOOKUP_AND_DELETE_BATCH, true, true};
const BatchCommand kUpdateBatch{BPF_MAP_UPDATE_BATCH, false, true};
const BatchCommand kDeleteBatch{BPF_MAP_DELETE_BATCH, false, false};

// a * b, saturated: a product that overflows demands more than any buffer has.
std::size_t SaturatingMul(std::size_t a, std::size_t b) {
  std::size_t product;
  return __builtin_mul_overflow(a, b, &product) ? SIZE_MAX : product;
}

napi_value MapBatch(napi_env env, napi_callback_info info) {
  napi_value argv[9];
  void* data = nullptr;
  if (!GetArgs(env, info, 9, argv, &data)) return nullptr;
  const BatchCommand& command = *static_cast<const BatchCommand*>(data);
  int fd = -1;
  Bytes in_batch, out_batch, keys, values;
  std::uint32_t count = 0;
  std::uint64_t elem_flags = 0, flags = 0;
  std::uint32_t* results = nullptr;
  if (!ReadFd(env, argv[0], "mapFd", &fd) || !ReadBytes(env, argv[1], "inBatch", true, &in_batch) ||
      !ReadBytes(env, argv[2], "outBatch", true, &out_batch) || !ReadBytes(env, argv[3], "keys", false, &keys) ||
      !ReadBytes(env, argv[4], "values", !command.uses_values, &values) || !ReadU32(env, argv[5], "count", &count) ||
      !ReadU64(env, argv[6], "elemFlags", &elem_flags) || !ReadU64(env, argv[7], "flags", &flags) ||
      !ReadU32Array(env, argv[8], "results", 1, &results))
    return nullptr;
  MapShape shape;
  long ret = GetMapShape(fd, &shape);
  if (ret < 0) return MakeInt(env, ret);
  const std::size_t n = count;
  if (!RequireLength(env, keys, SaturatingMul(n, shape.key_size), "keys", "count * key_size")) return nullptr;
  if (command.uses_values &&
      !RequireLength(env, values, SaturatingMul(n, shape.value_stride), "values", "count * the map's value size"))
    return nullptr;
  if (command.uses_tokens) {
    if (in_batch.data != nullptr &&
        !RequireLength(env, in_batch, shape.batch_token_size, "inBatch", "max(key_size, 4)"))
      return nullptr;
    if (!RequireLength(env, out_batch, shape.batch_token_size, "outBatch", "max(key_size, 4)")) return nullptr;
  }

  union bpf_attr attr;
  std::memset(&attr, 0, kBatchAttrSize);
  attr.batch.map_fd = static_cast<std::uint32_t>(fd);
  if (command.uses_tokens) {
    attr.batch.in_batch = PtrToU64(in_batch.data);
    attr.batch.out_batch = PtrToU64(out_batch.data);
  }
  attr.batch.keys = PtrToU64(keys.data);
  if (command.uses_values) attr.batch.values = PtrToU64(values.data);
  attr.batch.count = count;
  attr.batch.elem_flags = elem_flags;
  attr.batch.flags = flags;
  ret = SysBpfRestarting(command.cmd, &attr, kBatchAttrSize, RestartPolicy{false}, nullptr);
  results[0] = attr.batch.count;
  return MakeInt(env, ret);
}

void Register(Napi::Env env, Napi::Object exports) {
  ExportFunction(env, exports, "mapLookupBatch", MapBatch, const_cast<BatchCommand*>(&kLookupBatch));
  ExportFunction(env, exports, "mapLookupAndDeleteBatch", MapBatch,
                 const_cast<BatchCommand*>(&kLookupAndDeleteBatch));
  ExportFunction(env, exports, "mapUpdateBatch", MapBatch, const_cast<BatchCommand*>(&kUpdateBatch));
  ExportFunction(env, exports, "mapDeleteBatch", MapBatch, const_cast<BatchCommand*>(&kDeleteBatch));
}

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
