// Links and the commands that return attachment fds.
//   linkCreate(...LinkCreateArgs) BPF_LINK_CREATE -> fd | -errno (arguments: generator/native-calls.ts)
//     target is target_fd or target_ifindex (one union); targetBtfId is for tracing/LSM links (0: none).
//   rawTracepointOpen(name | null, progFd) BPF_RAW_TRACEPOINT_OPEN -> fd | -errno
//     A null name attaches a BTF-typed program (tp_btf, fentry, LSM) at the target it was loaded for.
//   enableStats(type) BPF_ENABLE_STATS -> fd | -errno   (BPF_STATS_RUN_TIME: run_time_ns/run_cnt counting
//     stays on while the fd is open)
#include "link-create.h"

#include <cstring>
#include <string>

#include "bpf-syscall.h"
#include "generated/native-calls.h"
#include "js-args.h"
#include "registry.h"

namespace progrun {

long LinkCreateCall(int prog_fd, std::uint32_t target, std::uint32_t attach_type, std::uint32_t flags,
                    std::uint32_t target_btf_id) {
  union bpf_attr attr;
  // Without a BTF id, stop at flags: kernels before 5.9 know no field after it.
  const unsigned int size =
      target_btf_id != 0 ? PROGRUN_ATTR_SIZE(link_create.target_btf_id) : PROGRUN_ATTR_SIZE(link_create.flags);
  std::memset(&attr, 0, size);
  attr.link_create.prog_fd = static_cast<std::uint32_t>(prog_fd);
  attr.link_create.target_fd = target;
  attr.link_create.attach_type = attach_type;
  attr.link_create.flags = flags;
  if (target_btf_id != 0) attr.link_create.target_btf_id = target_btf_id;
  return SysBpfRestarting(BPF_LINK_CREATE, &attr, size, RestartPolicy{false}, nullptr);
}

namespace {

napi_value LinkCreate(napi_env env, napi_callback_info info) {
  LinkCreateArgs args;
  if (!ReadLinkCreateArgs(env, info, &args)) return nullptr;
  return MakeInt(env, LinkCreateCall(args.prog_fd, args.target, args.attach_type, args.flags, args.target_btf_id));
}

napi_value RawTracepointOpen(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  std::string name;
  bool has_name = false;
  int prog_fd = -1;
  if (!GetArgs(env, info, 2, argv) || !ReadString(env, argv[0], "name", 255, true, &name, &has_name) ||
      !ReadFd(env, argv[1], "progFd", &prog_fd))
    return nullptr;
  union bpf_attr attr;
  constexpr unsigned int size = PROGRUN_ATTR_SIZE(raw_tracepoint.prog_fd);
  std::memset(&attr, 0, size);
  attr.raw_tracepoint.name = has_name ? PtrToU64(name.c_str()) : 0;
  attr.raw_tracepoint.prog_fd = static_cast<std::uint32_t>(prog_fd);
  return MakeInt(env, SysBpfRestarting(BPF_RAW_TRACEPOINT_OPEN, &attr, size, RestartPolicy{false}, nullptr));
}

napi_value EnableStats(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  std::uint32_t type = 0;
  if (!GetArgs(env, info, 1, argv) || !ReadU32(env, argv[0], "type", &type)) return nullptr;
  union bpf_attr attr;
  constexpr unsigned int size = PROGRUN_ATTR_SIZE(enable_stats.type);
  std::memset(&attr, 0, size);
  attr.enable_stats.type = type;
  return MakeInt(env, SysBpf(BPF_ENABLE_STATS, &attr, size));
}

void Register(Napi::Env env, Napi::Object exports) {
  ExportFunction(env, exports, "linkCreate", LinkCreate);
  ExportFunction(env, exports, "rawTracepointOpen", RawTracepointOpen);
  ExportFunction(env, exports, "enableStats", EnableStats);
}

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
