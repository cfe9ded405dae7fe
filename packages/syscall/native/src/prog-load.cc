// BPF_PROG_LOAD.
//
// progLoad(...ProgLoadArgs) -> fd | -errno; the arguments and their order: generator/native-calls.ts.
//   insns: raw struct bpf_insn bytes (a multiple of 8). name: at most 15 bytes (BPF_OBJ_NAME_LEN - 1).
//   attachFd fills the union of attach_prog_fd / attach_btf_obj_fd (0 for none). logBuf (nullable): the
//   verifier log is written into it, NUL-terminated, never past its length.
#include <cerrno>
#include <cstring>
#include <string>

#include "bpf-syscall.h"
#include "generated/native-calls.h"
#include "js-args.h"
#include "registry.h"

namespace progrun {
namespace {

constexpr unsigned int kProgLoadAttrSize = PROGRUN_ATTR_SIZE(attach_prog_fd);

napi_value ProgLoad(napi_env env, napi_callback_info info) {
  ProgLoadArgs args;
  if (!ReadProgLoadArgs(env, info, &args)) return nullptr;
  Bytes& insns = args.insns;
  Bytes& log_buf = args.log_buf;
  if (insns.length == 0 || insns.length % sizeof(struct bpf_insn) != 0)
    return ThrowRangeError(env, "insns", "must hold a whole, non-zero number of 8-byte instructions"), nullptr;
  if (insns.length / sizeof(struct bpf_insn) > 0xffffffffu)
    return ThrowRangeError(env, "insns", "holds too many instructions"), nullptr;
  if (log_buf.length > 0xffffffffu) return ThrowRangeError(env, "logBuf", "must be at most 2^32-1 bytes"), nullptr;

  union bpf_attr attr;
  std::memset(&attr, 0, kProgLoadAttrSize);
  attr.prog_type = args.prog_type;
  attr.insn_cnt = static_cast<std::uint32_t>(insns.length / sizeof(struct bpf_insn));
  attr.insns = PtrToU64(insns.data);
  attr.license = PtrToU64(args.license.c_str());
  std::memcpy(attr.prog_name, args.name.data(), args.name.size());
  attr.expected_attach_type = args.expected_attach_type;
  attr.prog_flags = args.prog_flags;
  attr.attach_btf_id = args.attach_btf_id;
  attr.attach_prog_fd = static_cast<std::uint32_t>(args.attach_fd);
  attr.kern_version = args.kern_version;
  attr.prog_ifindex = args.prog_ifindex;
  if (log_buf.length > 0) {
    log_buf.data[0] = 0;
    attr.log_level = args.log_level;
    attr.log_buf = PtrToU64(log_buf.data);
    attr.log_size = static_cast<std::uint32_t>(log_buf.length);
  } else {
    // Let the kernel reject a log level without a buffer (EINVAL), as it would for any caller.
    attr.log_level = args.log_level;
  }

  // The verifier checks signal_pending() between instructions and answers EAGAIN: under a steady stream
  // of signals (a profiler's SIGPROF) a retry fails as well, so signals are held off for the load.
  long fd = SysBpfRestarting(BPF_PROG_LOAD, &attr, kProgLoadAttrSize, RestartPolicy{true}, nullptr);
  if (log_buf.length > 0) log_buf.data[log_buf.length - 1] = 0;
  return MakeInt(env, fd);
}

void Register(Napi::Env env, Napi::Object exports) {
  ExportFunction(env, exports, "progLoad", ProgLoad);
  exports.Set("PROG_LOAD_ATTR_SIZE", Napi::Number::New(env, kProgLoadAttrSize));
}

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
