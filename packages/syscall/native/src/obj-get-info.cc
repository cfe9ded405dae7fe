// BPF_OBJ_GET_INFO_BY_FD.
//
// objGetInfoByFd(fd, info) -> info_len | -errno
//   info is zeroed first: the kernel treats the pointer fields of bpf_prog_info (map_ids, jited_prog_insns,
//   ...) as output arrays to fill, so stale bytes there would let it write to arbitrary addresses. With
//   them zero it writes only the fixed struct, clamped to info's length; info_len is what it wrote.
#include <cstring>

#include "bpf-syscall.h"
#include "js-args.h"
#include "registry.h"

namespace progrun {
namespace {

napi_value ObjGetInfoByFd(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int fd = -1;
  Bytes buffer;
  if (!GetArgs(env, info, 2, argv) || !ReadFd(env, argv[0], "fd", &fd) ||
      !ReadBytes(env, argv[1], "info", false, &buffer))
    return nullptr;
  if (buffer.length > 0xffffffffu) return ThrowRangeError(env, "info", "must be at most 2^32-1 bytes"), nullptr;
  if (buffer.length > 0) std::memset(buffer.data, 0, buffer.length);
  union bpf_attr attr;
  constexpr unsigned int size = PROGRUN_ATTR_SIZE(info.info);
  std::memset(&attr, 0, size);
  attr.info.bpf_fd = static_cast<std::uint32_t>(fd);
  attr.info.info_len = static_cast<std::uint32_t>(buffer.length);
  attr.info.info = PtrToU64(buffer.data);
  long ret = SysBpf(BPF_OBJ_GET_INFO_BY_FD, &attr, size);
  return MakeInt(env, ret < 0 ? ret : static_cast<long>(attr.info.info_len));
}

void Register(Napi::Env env, Napi::Object exports) {
  ExportFunction(env, exports, "objGetInfoByFd", ObjGetInfoByFd);
}

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
