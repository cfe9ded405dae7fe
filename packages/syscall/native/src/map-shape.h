// What the kernel will read and write for one element of a map, learned from the map itself
// (BPF_OBJ_GET_INFO_BY_FD) on every call: the map behind an fd is the only authority on how many bytes a
// key or value takes, and trusting a size from JavaScript would let a wrong size overrun a buffer.
#pragma once

#include <cstddef>
#include <cstdint>

namespace progrun {

struct MapShape {
  std::uint32_t type = 0;
  std::uint32_t key_size = 0;
  std::uint32_t value_size = 0;
  // Bytes of one value as lookups and updates transfer it: value_size, or for per-CPU maps
  // round_up(value_size, 8) for each possible CPU.
  std::size_t value_stride = 0;
  // Bytes of the in_batch/out_batch token of the batch commands.
  std::size_t batch_token_size = 0;
};

// Fills *shape for the map behind fd. Returns 0 or -errno (EBADF for a closed fd, EINVAL for an fd that
// is not a map).
long GetMapShape(int fd, MapShape* shape);

// Number of possible CPUs (the kernel's num_possible_cpus()), from /sys/devices/system/cpu/possible.
std::uint32_t PossibleCpus();

}  // namespace progrun
