// Pinning in bpffs.
//   objPin(fd, path, fileFlags) BPF_OBJ_PIN -> 0 | -errno
//   objGet(path, fileFlags)     BPF_OBJ_GET -> fd | -errno   (fileFlags: BPF_F_RDONLY / BPF_F_WRONLY)
#include <climits>
#include <cstring>
#include <string>

#include "bpf-syscall.h"
#include "js-args.h"
#include "registry.h"

namespace progrun {
namespace {

constexpr unsigned int kObjAttrSize = PROGRUN_ATTR_SIZE(file_flags);

napi_value ObjPin(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int fd = -1;
  std::string path;
  std::uint32_t file_flags = 0;
  if (!GetArgs(env, info, 3, argv) || !ReadFd(env, argv[0], "fd", &fd) ||
      !ReadString(env, argv[1], "path", PATH_MAX - 1, false, &path) ||
      !ReadU32(env, argv[2], "fileFlags", &file_flags))
    return nullptr;
  union bpf_attr attr;
  std::memset(&attr, 0, kObjAttrSize);
  attr.bpf_fd = static_cast<std::uint32_t>(fd);
  attr.pathname = PtrToU64(path.c_str());
  attr.file_flags = file_flags;
  return MakeInt(env, SysBpfRestarting(BPF_OBJ_PIN, &attr, kObjAttrSize, RestartPolicy{false}, nullptr));
}

napi_value ObjGet(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  std::string path;
  std::uint32_t file_flags = 0;
  if (!GetArgs(env, info, 2, argv) || !ReadString(env, argv[0], "path", PATH_MAX - 1, false, &path) ||
      !ReadU32(env, argv[1], "fileFlags", &file_flags))
    return nullptr;
  union bpf_attr attr;
  std::memset(&attr, 0, kObjAttrSize);
  attr.pathname = PtrToU64(path.c_str());
  attr.file_flags = file_flags;
  return MakeInt(env, SysBpfRestarting(BPF_OBJ_GET, &attr, kObjAttrSize, RestartPolicy{false}, nullptr));
}

void Register(Napi::Env env, Napi::Object exports) {
  ExportFunction(env, exports, "objPin", ObjPin);
  ExportFunction(env, exports, "objGet", ObjGet);
}

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
