// The single-element map commands. Each call first learns the map's key and value sizes from the kernel
// (see map-shape.h) and refuses buffers shorter than what the kernel will read or write.
//
// mapLookupElem(mapFd, key, value, flags)           BPF_MAP_LOOKUP_ELEM            -> 0 | -errno
// mapLookupAndDeleteElem(mapFd, key, value, flags)  BPF_MAP_LOOKUP_AND_DELETE_ELEM -> 0 | -errno
// mapUpdateElem(mapFd, key, value, flags)           BPF_MAP_UPDATE_ELEM            -> 0 | -errno
// mapDeleteElem(mapFd, key, flags)                  BPF_MAP_DELETE_ELEM            -> 0 | -errno
// mapGetNextKey(mapFd, key | null, nextKey)         BPF_MAP_GET_NEXT_KEY           -> 0 | -errno
// mapFreeze(mapFd)                                  BPF_MAP_FREEZE                 -> 0 | -errno
// flags are u64 (bigint or number). key may be null for maps without keys (queue, stack, bloom filter).
#include "map-elem.h"

#include <cstring>

#include "bpf-syscall.h"
#include "js-args.h"
#include "map-shape.h"
#include "registry.h"

namespace progrun {

long MapElemCall(int cmd, int map_fd, const void* key, const void* value, std::uint64_t flags) {
  constexpr unsigned int size = PROGRUN_ATTR_SIZE(flags);
  union bpf_attr attr;
  std::memset(&attr, 0, size);
  attr.map_fd = static_cast<std::uint32_t>(map_fd);
  attr.key = PtrToU64(key);
  attr.value = PtrToU64(value);
  attr.flags = flags;
  return SysBpfRestarting(cmd, &attr, size, RestartPolicy{false}, nullptr);
}

namespace {

enum class ValueUse { kNone, kRead, kWrite };

struct ElemCommand {
  int cmd;
  ValueUse value;
};

const ElemCommand kLookup{BPF_MAP_LOOKUP_ELEM, ValueUse::kWrite};
const ElemCommand kLookupAndDelete{BPF_MAP_LOOKUP_AND_DELETE_ELEM, ValueUse::kWrite};
const ElemCommand kUpdate{BPF_MAP_UPDATE_ELEM, ValueUse::kRead};
const ElemCommand kDelete{BPF_MAP_DELETE_ELEM, ValueUse::kNone};

napi_value MapElem(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  void* data = nullptr;
  if (!GetArgs(env, info, 4, argv, &data)) return nullptr;
  const ElemCommand& command = *static_cast<const ElemCommand*>(data);
  const bool has_value = command.value != ValueUse::kNone;
  int fd = -1;
  Bytes key, value;
  std::uint64_t flags = 0;
  if (!ReadFd(env, argv[0], "mapFd", &fd) || !ReadBytes(env, argv[1], "key", true, &key) ||
      (has_value && !ReadBytes(env, argv[2], "value", false, &value)) ||
      !ReadU64(env, argv[has_value ? 3 : 2], "flags", &flags))
    return nullptr;
  MapShape shape;
  long ret = GetMapShape(fd, &shape);
  if (ret < 0) return MakeInt(env, ret);
  if (!RequireLength(env, key, shape.key_size, "key", "the map's key_size")) return nullptr;
  if (has_value && !RequireLength(env, value, shape.value_stride, "value", "the map's value size")) return nullptr;
  return MakeInt(env, MapElemCall(command.cmd, fd, shape.key_size > 0 ? key.data : nullptr,
                                  has_value ? value.data : nullptr, flags));
}

napi_value MapGetNextKey(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int fd = -1;
  Bytes key, next_key;
  if (!GetArgs(env, info, 3, argv) || !ReadFd(env, argv[0], "mapFd", &fd) ||
      !ReadBytes(env, argv[1], "key", true, &key) || !ReadBytes(env, argv[2], "nextKey", false, &next_key))
    return nullptr;
  MapShape shape;
  long ret = GetMapShape(fd, &shape);
  if (ret < 0) return MakeInt(env, ret);
  // A null key asks for the first key.
  if (key.data != nullptr && !RequireLength(env, key, shape.key_size, "key", "the map's key_size")) return nullptr;
  if (!RequireLength(env, next_key, shape.key_size, "nextKey", "the map's key_size")) return nullptr;
  union bpf_attr attr;
  constexpr unsigned int size = PROGRUN_ATTR_SIZE(next_key);
  std::memset(&attr, 0, size);
  attr.map_fd = static_cast<std::uint32_t>(fd);
  attr.key = PtrToU64(key.data);
  attr.next_key = PtrToU64(next_key.data);
  return MakeInt(env, SysBpfRestarting(BPF_MAP_GET_NEXT_KEY, &attr, size, RestartPolicy{false}, nullptr));
}

napi_value MapFreeze(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd = -1;
  if (!GetArgs(env, info, 1, argv) || !ReadFd(env, argv[0], "mapFd", &fd)) return nullptr;
  union bpf_attr attr;
  constexpr unsigned int size = PROGRUN_ATTR_SIZE(map_fd);
  std::memset(&attr, 0, size);
  attr.map_fd = static_cast<std::uint32_t>(fd);
  return MakeInt(env, SysBpf(BPF_MAP_FREEZE, &attr, size));
}

void Register(Napi::Env env, Napi::Object exports) {
  ExportFunction(env, exports, "mapLookupElem", MapElem, const_cast<ElemCommand*>(&kLookup));
  ExportFunction(env, exports, "mapLookupAndDeleteElem", MapElem, const_cast<ElemCommand*>(&kLookupAndDelete));
  ExportFunction(env, exports, "mapUpdateElem", MapElem, const_cast<ElemCommand*>(&kUpdate));
  ExportFunction(env, exports, "mapDeleteElem", MapElem, const_cast<ElemCommand*>(&kDelete));
  ExportFunction(env, exports, "mapGetNextKey", MapGetNextKey);
  ExportFunction(env, exports, "mapFreeze", MapFreeze);
}

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
