// Walking and opening kernel objects by id.
//   progGetNextId(startId) / mapGetNextId(startId) / linkGetNextId(startId) -> next id | -errno (ENOENT: none)
//   progGetFdById(id, openFlags) / mapGetFdById(id, openFlags) / linkGetFdById(id, openFlags) -> fd | -errno
//   btfGetNextId(startId) -> next id | -errno;  btfGetFdById(id, openFlags) -> fd | -errno
#include <cstring>

#include "bpf-syscall.h"
#include "js-args.h"
#include "registry.h"

namespace progrun {
namespace {

constexpr unsigned int kIdAttrSize = PROGRUN_ATTR_SIZE(open_flags);

const int kProgGetNextId = BPF_PROG_GET_NEXT_ID, kMapGetNextId = BPF_MAP_GET_NEXT_ID,
          kLinkGetNextId = BPF_LINK_GET_NEXT_ID, kProgGetFdById = BPF_PROG_GET_FD_BY_ID,
          kMapGetFdById = BPF_MAP_GET_FD_BY_ID, kLinkGetFdById = BPF_LINK_GET_FD_BY_ID,
          kBtfGetNextId = BPF_BTF_GET_NEXT_ID, kBtfGetFdById = BPF_BTF_GET_FD_BY_ID;

napi_value GetNextId(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  void* data = nullptr;
  std::uint32_t start_id = 0;
  if (!GetArgs(env, info, 1, argv, &data) || !ReadU32(env, argv[0], "startId", &start_id)) return nullptr;
  union bpf_attr attr;
  std::memset(&attr, 0, kIdAttrSize);
  attr.start_id = start_id;
  long ret = SysBpf(*static_cast<const int*>(data), &attr, kIdAttrSize);
  return MakeInt(env, ret < 0 ? ret : static_cast<long>(attr.next_id));
}

napi_value GetFdById(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  void* data = nullptr;
  std::uint32_t id = 0, open_flags = 0;
  if (!GetArgs(env, info, 2, argv, &data) || !ReadU32(env, argv[0], "id", &id) ||
      !ReadU32(env, argv[1], "openFlags", &open_flags))
    return nullptr;
  union bpf_attr attr;
  std::memset(&attr, 0, kIdAttrSize);
  attr.prog_id = id;  // shares its place with map_id, link_id and btf_id
  attr.open_flags = open_flags;
  return MakeInt(env, SysBpf(*static_cast<const int*>(data), &attr, kIdAttrSize));
}

void* Data(const int& cmd) { return const_cast<int*>(&cmd); }

void Register(Napi::Env env, Napi::Object exports) {
  ExportFunction(env, exports, "progGetNextId", GetNextId, Data(kProgGetNextId));
  ExportFunction(env, exports, "mapGetNextId", GetNextId, Data(kMapGetNextId));
  ExportFunction(env, exports, "linkGetNextId", GetNextId, Data(kLinkGetNextId));
  ExportFunction(env, exports, "progGetFdById", GetFdById, Data(kProgGetFdById));
  ExportFunction(env, exports, "mapGetFdById", GetFdById, Data(kMapGetFdById));
  ExportFunction(env, exports, "linkGetFdById", GetFdById, Data(kLinkGetFdById));
  ExportFunction(env, exports, "btfGetNextId", GetNextId, Data(kBtfGetNextId));
  ExportFunction(env, exports, "btfGetFdById", GetFdById, Data(kBtfGetFdById));
}

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
