#include "map-shape.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "bpf-syscall.h"

namespace progrun {

static std::uint32_t ParsePossibleCpus() {
  FILE* file = std::fopen("/sys/devices/system/cpu/possible", "re");
  if (file == nullptr) return 0;
  char text[4096] = {0};
  std::size_t length = std::fread(text, 1, sizeof(text) - 1, file);
  std::fclose(file);
  text[length] = 0;
  // A list of ranges: "0-3,8-11" or "0".
  std::uint32_t count = 0;
  const char* cursor = text;
  while (*cursor >= '0' && *cursor <= '9') {
    char* end = nullptr;
    unsigned long first = std::strtoul(cursor, &end, 10);
    unsigned long last = first;
    if (*end == '-') last = std::strtoul(end + 1, &end, 10);
    if (last >= first) count += static_cast<std::uint32_t>(last - first + 1);
    cursor = *end == ',' ? end + 1 : end;
  }
  return count;
}

std::uint32_t PossibleCpus() {
  static const std::uint32_t cpus = ParsePossibleCpus();
  return cpus;
}

static bool IsPerCpu(std::uint32_t type) {
  return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
         type == BPF_MAP_TYPE_LRU_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

long GetMapShape(int fd, MapShape* shape) {
  struct bpf_map_info info;
  std::memset(&info, 0, sizeof(info));
  union bpf_attr attr;
  constexpr unsigned int size = PROGRUN_ATTR_SIZE(info.info);
  std::memset(&attr, 0, size);
  attr.info.bpf_fd = static_cast<std::uint32_t>(fd);
  attr.info.info_len = sizeof(info);
  attr.info.info = PtrToU64(&info);
  long ret = SysBpf(BPF_OBJ_GET_INFO_BY_FD, &attr, size);
  if (ret < 0) return ret;
  // An fd of another kind (a program, a link) answers with a shorter or different info: its first word is
  // not a map type and its sizes are zero; the map commands then fail with EINVAL in the kernel, which is
  // the answer we want, and the zero sizes demand nothing of the buffers.
  shape->type = info.type;
  shape->key_size = info.key_size;
  shape->value_size = info.value_size;
  shape->value_stride = info.value_size;
  if (IsPerCpu(info.type)) {
    std::uint32_t cpus = PossibleCpus();
    if (cpus == 0) return -ENOENT;
    shape->value_stride = ((static_cast<std::size_t>(info.value_size) + 7) & ~static_cast<std::size_t>(7)) * cpus;
  }
  shape->batch_token_size = std::max<std::size_t>(info.key_size, 4);
  return 0;
}

}  // namespace progrun
