// BPF_MAP_CREATE.
//
// mapCreate(...MapCreateArgs) -> fd | -errno; the arguments and their order: generator/native-calls.ts.
#include <cstring>
#include <string>

#include "bpf-syscall.h"
#include "generated/native-calls.h"
#include "js-args.h"
#include "registry.h"

namespace progrun {
namespace {

constexpr unsigned int kMapCreateAttrSize = PROGRUN_ATTR_SIZE(map_extra);

napi_value MapCreate(napi_env env, napi_callback_info info) {
  MapCreateArgs args;
  if (!ReadMapCreateArgs(env, info, &args)) return nullptr;
  union bpf_attr attr;
  std::memset(&attr, 0, kMapCreateAttrSize);
  attr.map_type = args.map_type;
  attr.key_size = args.key_size;
  attr.value_size = args.value_size;
  attr.max_entries = args.max_entries;
  attr.map_flags = args.map_flags;
  attr.inner_map_fd = static_cast<std::uint32_t>(args.inner_map_fd);
  attr.numa_node = args.numa_node;
  std::memcpy(attr.map_name, args.name.data(), args.name.size());
  attr.map_ifindex = args.map_ifindex;
  attr.btf_fd = static_cast<std::uint32_t>(args.btf_fd);
  attr.btf_key_type_id = args.btf_key_type_id;
  attr.btf_value_type_id = args.btf_value_type_id;
  attr.btf_vmlinux_value_type_id = args.btf_vmlinux_value_type_id;
  attr.map_extra = args.map_extra;
  return MakeInt(env, SysBpfRestarting(BPF_MAP_CREATE, &attr, kMapCreateAttrSize, RestartPolicy{false}, nullptr));
}

void Register(Napi::Env env, Napi::Object exports) { ExportFunction(env, exports, "mapCreate", MapCreate); }

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
