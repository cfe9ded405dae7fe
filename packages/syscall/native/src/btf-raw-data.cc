// The raw BTF a kernel BTF object holds (a program's or map's types, loaded with BPF_BTF_LOAD).
//
// btfRawData(fd) -> Buffer (the BTF blob: header, types, strings) | -errno
//   Two BPF_OBJ_GET_INFO_BY_FD calls on the BTF fd: the first, without a buffer, answers btf_size; the
//   second copies that many bytes into memory the addon owns. BTF objects cannot change, so the size holds.
#include <cerrno>
#include <cstring>
#include <new>
#include <vector>

#include "bpf-syscall.h"
#include "js-args.h"
#include "registry.h"

namespace progrun {
namespace {

constexpr unsigned int kInfoAttrSize = PROGRUN_ATTR_SIZE(info.info);
// Largest BTF fetched (a vmlinux BTF is some megabytes; a program's is kilobytes).
constexpr std::uint32_t kMaxBtfSize = 1u << 28;

long GetBtfInfo(int fd, bpf_btf_info* out) {
  union bpf_attr attr;
  std::memset(&attr, 0, kInfoAttrSize);
  attr.info.bpf_fd = static_cast<std::uint32_t>(fd);
  attr.info.info_len = sizeof(*out);
  attr.info.info = PtrToU64(out);
  return SysBpf(BPF_OBJ_GET_INFO_BY_FD, &attr, kInfoAttrSize);
}

napi_value BtfRawData(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd = -1;
  if (!GetArgs(env, info, 1, argv) || !ReadFd(env, argv[0], "fd", &fd)) return nullptr;
  bpf_btf_info btf_info;
  std::memset(&btf_info, 0, sizeof(btf_info));
  long ret = GetBtfInfo(fd, &btf_info);
  if (ret < 0) return MakeInt(env, ret);
  if (btf_info.btf_size > kMaxBtfSize) return MakeInt(env, -E2BIG);
  std::vector<std::uint8_t> bytes;
  try {
    bytes.resize(btf_info.btf_size);
  } catch (const std::bad_alloc&) {
    return MakeInt(env, -ENOMEM);
  }
  const std::uint32_t size = btf_info.btf_size;
  std::memset(&btf_info, 0, sizeof(btf_info));
  btf_info.btf = PtrToU64(bytes.data());
  btf_info.btf_size = size;
  ret = GetBtfInfo(fd, &btf_info);
  if (ret < 0) return MakeInt(env, ret);
  napi_value result;
  void* copy = nullptr;
  if (napi_create_buffer_copy(env, size, bytes.data(), &copy, &result) != napi_ok) return nullptr;
  return result;
}

void Register(Napi::Env env, Napi::Object exports) { ExportFunction(env, exports, "btfRawData", BtfRawData); }

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
