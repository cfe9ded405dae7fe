// The batch map commands (Linux 5.6+), one export each, sharing one implementation:
//   mapLookupBatch, mapLookupAndDeleteBatch, mapUpdateBatch, mapDeleteBatch
//   (...MapBatchArgs) -> 0 | -errno; the arguments and their order: generator/native-calls.ts.
// count is how many elements the buffers hold; results (Uint32Array(1)) receives the count the kernel
// processed, which it reports on success and on ENOENT (end of map) alike. in/out batch tokens must hold
// max(key_size, 4) bytes. The buffers are checked against the map's own sizes before the call.
#include <cstdint>
#include <cstring>

#include "bpf-syscall.h"
#include "generated/native-calls.h"
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
  MapBatchArgs args;
  void* data = nullptr;
  if (!ReadMapBatchArgs(env, info, &args, &data)) return nullptr;
  const BatchCommand& command = *static_cast<const BatchCommand*>(data);
  const int fd = args.map_fd;
  const Bytes &in_batch = args.in_batch, &out_batch = args.out_batch, &keys = args.keys, &values = args.values;
  if (command.uses_values && !values.present)
    return ThrowTypeError(env, "values", "must be a Uint8Array, Buffer, DataView or ArrayBuffer"), nullptr;
  MapShape shape;
  long ret = GetMapShape(fd, &shape);
  if (ret < 0) return MakeInt(env, ret);
  const std::size_t n = args.count;
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
  attr.batch.count = args.count;
  attr.batch.elem_flags = args.elem_flags;
  attr.batch.flags = args.flags;
  ret = SysBpfRestarting(command.cmd, &attr, kBatchAttrSize, RestartPolicy{false}, nullptr);
  args.results[0] = attr.batch.count;
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
