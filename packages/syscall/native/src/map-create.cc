// BPF_MAP_CREATE.
//
// mapCreate(mapType, keySize, valueSize, maxEntries, mapFlags, name, innerMapFd, numaNode, mapIfindex,
//           btfFd, btfKeyTypeId, btfValueTypeId, btfVmlinuxValueTypeId, mapExtra) -> fd | -errno
//   name: at most 15 bytes. innerMapFd and btfFd: 0 for none. mapExtra: u64 (bigint or number).
#include <cstring>
#include <string>

#include "bpf-syscall.h"
#include "js-args.h"
#include "registry.h"

namespace progrun {
namespace {

constexpr unsigned int kMapCreateAttrSize = PROGRUN_ATTR_SIZE(map_extra);

napi_value MapCreate(napi_env env, napi_callback_info info) {
  napi_value argv[14];
  if (!GetArgs(env, info, 14, argv)) return nullptr;
  std::uint32_t map_type = 0, key_size = 0, value_size = 0, max_entries = 0, map_flags = 0, numa_node = 0,
                map_ifindex = 0, btf_key_type_id = 0, btf_value_type_id = 0, btf_vmlinux_value_type_id = 0;
  int inner_map_fd = 0, btf_fd = 0;
  std::uint64_t map_extra = 0;
  std::string name;
  if (!ReadU32(env, argv[0], "mapType", &map_type) || !ReadU32(env, argv[1], "keySize", &key_size) ||
      !ReadU32(env, argv[2], "valueSize", &value_size) || !ReadU32(env, argv[3], "maxEntries", &max_entries) ||
      !ReadU32(env, argv[4], "mapFlags", &map_flags) ||
      !ReadString(env, argv[5], "name", BPF_OBJ_NAME_LEN - 1, true, &name) ||
      !ReadFd(env, argv[6], "innerMapFd", &inner_map_fd) || !ReadU32(env, argv[7], "numaNode", &numa_node) ||
      !ReadU32(env, argv[8], "mapIfindex", &map_ifindex) || !ReadFd(env, argv[9], "btfFd", &btf_fd) ||
      !ReadU32(env, argv[10], "btfKeyTypeId", &btf_key_type_id) ||
      !ReadU32(env, argv[11], "btfValueTypeId", &btf_value_type_id) ||
      !ReadU32(env, argv[12], "btfVmlinuxValueTypeId", &btf_vmlinux_value_type_id) ||
      !ReadU64(env, argv[13], "mapExtra", &map_extra))
    return nullptr;
  union bpf_attr attr;
  std::memset(&attr, 0, kMapCreateAttrSize);
  attr.map_type = map_type;
  attr.key_size = key_size;
  attr.value_size = value_size;
  attr.max_entries = max_entries;
  attr.map_flags = map_flags;
  attr.inner_map_fd = static_cast<std::uint32_t>(inner_map_fd);
  attr.numa_node = numa_node;
  std::memcpy(attr.map_name, name.data(), name.size());
  attr.map_ifindex = map_ifindex;
  attr.btf_fd = static_cast<std::uint32_t>(btf_fd);
  attr.btf_key_type_id = btf_key_type_id;
  attr.btf_value_type_id = btf_value_type_id;
  attr.btf_vmlinux_value_type_id = btf_vmlinux_value_type_id;
  attr.map_extra = map_extra;
  return MakeInt(env, SysBpfRestarting(BPF_MAP_CREATE, &attr, kMapCreateAttrSize, RestartPolicy{false}, nullptr));
}

void Register(Napi::Env env, Napi::Object exports) { ExportFunction(env, exports, "mapCreate", MapCreate); }

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
