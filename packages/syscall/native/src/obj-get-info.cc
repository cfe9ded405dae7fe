// BPF_OBJ_GET_INFO_BY_FD, and the layouts of the info structs it fills, measured by the compiler.
//
// objGetInfoByFd(fd, info) -> info_len | -errno
//   info is zeroed first: the kernel treats the pointer fields of bpf_prog_info (map_ids, jited_prog_insns,
//   ...) as output arrays to fill, so stale bytes there would let it write to arbitrary addresses. With
//   them zero it writes only the fixed struct, clamped to info's length; info_len is what it wrote.
// infoLayouts: { bpf_prog_info | bpf_map_info | bpf_link_info: { size, fields: { name: [offset, size] } } }
#include <cstddef>
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

#define PROGRUN_FIELD(type, member) \
  fields.Set(#member, FieldPair(env, offsetof(type, member), sizeof(((type*)nullptr)->member)))

Napi::Array FieldPair(Napi::Env env, std::size_t offset, std::size_t size) {
  Napi::Array pair = Napi::Array::New(env, 2);
  pair.Set(0u, Napi::Number::New(env, static_cast<double>(offset)));
  pair.Set(1u, Napi::Number::New(env, static_cast<double>(size)));
  return pair;
}

Napi::Object Layout(Napi::Env env, std::size_t size, Napi::Object fields) {
  Napi::Object layout = Napi::Object::New(env);
  layout.Set("size", Napi::Number::New(env, static_cast<double>(size)));
  layout.Set("fields", fields);
  return layout;
}

Napi::Object ProgInfoLayout(Napi::Env env) {
  Napi::Object fields = Napi::Object::New(env);
  PROGRUN_FIELD(struct bpf_prog_info, type);
  PROGRUN_FIELD(struct bpf_prog_info, id);
  PROGRUN_FIELD(struct bpf_prog_info, tag);
  PROGRUN_FIELD(struct bpf_prog_info, jited_prog_len);
  PROGRUN_FIELD(struct bpf_prog_info, xlated_prog_len);
  PROGRUN_FIELD(struct bpf_prog_info, load_time);
  PROGRUN_FIELD(struct bpf_prog_info, created_by_uid);
  PROGRUN_FIELD(struct bpf_prog_info, nr_map_ids);
  PROGRUN_FIELD(struct bpf_prog_info, name);
  PROGRUN_FIELD(struct bpf_prog_info, ifindex);
  PROGRUN_FIELD(struct bpf_prog_info, btf_id);
  PROGRUN_FIELD(struct bpf_prog_info, run_time_ns);
  PROGRUN_FIELD(struct bpf_prog_info, run_cnt);
  PROGRUN_FIELD(struct bpf_prog_info, recursion_misses);
  PROGRUN_FIELD(struct bpf_prog_info, verified_insns);
  PROGRUN_FIELD(struct bpf_prog_info, attach_btf_obj_id);
  PROGRUN_FIELD(struct bpf_prog_info, attach_btf_id);
  return Layout(env, sizeof(struct bpf_prog_info), fields);
}

Napi::Object MapInfoLayout(Napi::Env env) {
  Napi::Object fields = Napi::Object::New(env);
  PROGRUN_FIELD(struct bpf_map_info, type);
  PROGRUN_FIELD(struct bpf_map_info, id);
  PROGRUN_FIELD(struct bpf_map_info, key_size);
  PROGRUN_FIELD(struct bpf_map_info, value_size);
  PROGRUN_FIELD(struct bpf_map_info, max_entries);
  PROGRUN_FIELD(struct bpf_map_info, map_flags);
  PROGRUN_FIELD(struct bpf_map_info, name);
  PROGRUN_FIELD(struct bpf_map_info, ifindex);
  PROGRUN_FIELD(struct bpf_map_info, btf_id);
  PROGRUN_FIELD(struct bpf_map_info, btf_key_type_id);
  PROGRUN_FIELD(struct bpf_map_info, btf_value_type_id);
  PROGRUN_FIELD(struct bpf_map_info, map_extra);
  return Layout(env, sizeof(struct bpf_map_info), fields);
}

Napi::Object LinkInfoLayout(Napi::Env env) {
  Napi::Object fields = Napi::Object::New(env);
  PROGRUN_FIELD(struct bpf_link_info, type);
  PROGRUN_FIELD(struct bpf_link_info, id);
  PROGRUN_FIELD(struct bpf_link_info, prog_id);
  return Layout(env, sizeof(struct bpf_link_info), fields);
}

void Register(Napi::Env env, Napi::Object exports) {
  ExportFunction(env, exports, "objGetInfoByFd", ObjGetInfoByFd);
  Napi::Object layouts = Napi::Object::New(env);
  layouts.Set("bpf_prog_info", ProgInfoLayout(env));
  layouts.Set("bpf_map_info", MapInfoLayout(env));
  layouts.Set("bpf_link_info", LinkInfoLayout(env));
  exports.Set("infoLayouts", layouts);
}

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
