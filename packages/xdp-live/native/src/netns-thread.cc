#include "netns-thread.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <net/if.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <thread>

namespace xdplive {

long InNetns(int netns_fd, const std::function<long()>& fn) {
  long result = 0;
  std::thread helper([&] {
    if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET) != 0) {
      result = -static_cast<long>(errno);
      return;
    }
    result = fn();
  });
  helper.join();
  return result;
}

int CreatePrivateNetns() {
  int fd = -1;
  std::thread helper([&] {
    if (unshare(CLONE_NEWNET) != 0) {
      fd = -errno;
      return;
    }
    fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (fd < 0) fd = -errno;
  });
  helper.join();
  return fd;
}

long XdpLinkCreate(int netns_fd, std::uint32_t ifindex, int prog_fd, std::uint32_t xdp_flags) {
  return InNetns(netns_fd, [&]() -> long {
    constexpr unsigned int size = offsetof(union bpf_attr, link_create.flags) +
                                  sizeof(static_cast<union bpf_attr*>(nullptr)->link_create.flags);
    union bpf_attr attr;
    std::memset(&attr, 0, size);
    attr.link_create.prog_fd = static_cast<std::uint32_t>(prog_fd);
    attr.link_create.target_ifindex = ifindex;
    attr.link_create.attach_type = BPF_XDP;
    attr.link_create.flags = xdp_flags;
    long fd = syscall(__NR_bpf, BPF_LINK_CREATE, &attr, size);  // bpf() fds are O_CLOEXEC
    return fd < 0 ? -static_cast<long>(errno) : fd;
  });
}

std::string IfindexName(int netns_fd, std::uint32_t ifindex, int* errno_out) {
  char name[IF_NAMESIZE] = {0};
  long ret = InNetns(netns_fd, [&]() -> long { return if_indextoname(ifindex, name) == nullptr ? -errno : 0; });
  *errno_out = ret < 0 ? static_cast<int>(-ret) : 0;
  return ret < 0 ? std::string() : std::string(name);
}

long IfnameIndex(int netns_fd, const std::string& name) {
  return InNetns(netns_fd, [&]() -> long {
    unsigned int index = if_nametoindex(name.c_str());
    return index == 0 ? -static_cast<long>(errno) : static_cast<long>(index);
  });
}

long XdpVerdict(int netns_fd, int prog_fd, const std::uint8_t* packet, std::size_t length, std::uint32_t ifindex,
                std::uint32_t rx_queue) {
  return InNetns(netns_fd, [&]() -> long {
    struct xdp_md md;
    std::memset(&md, 0, sizeof md);
    md.data_end = static_cast<std::uint32_t>(length);
    md.ingress_ifindex = ifindex;
    md.rx_queue_index = rx_queue;
    constexpr unsigned int size =
        offsetof(union bpf_attr, test.ctx_out) + sizeof(static_cast<union bpf_attr*>(nullptr)->test.ctx_out);
    union bpf_attr attr;
    std::memset(&attr, 0, size);
    attr.test.prog_fd = static_cast<std::uint32_t>(prog_fd);
    attr.test.data_in = reinterpret_cast<std::uintptr_t>(packet);
    attr.test.data_size_in = static_cast<std::uint32_t>(length);
    if (ifindex != 0) {
      attr.test.ctx_in = reinterpret_cast<std::uintptr_t>(&md);
      attr.test.ctx_size_in = sizeof md;
    }
    attr.test.repeat = 1;
    long ret = syscall(__NR_bpf, BPF_PROG_TEST_RUN, &attr, size);
    return ret < 0 ? -static_cast<long>(errno) : static_cast<long>(attr.test.retval);
  });
}

long MapUpdateInNetns(int netns_fd, int map_fd, const std::uint8_t* key, const std::uint8_t* value,
                      std::uint64_t flags) {
  return InNetns(netns_fd, [&]() -> long {
    constexpr unsigned int size = offsetof(union bpf_attr, flags) + sizeof(static_cast<union bpf_attr*>(nullptr)->flags);
    union bpf_attr attr;
    std::memset(&attr, 0, size);
    attr.map_fd = static_cast<std::uint32_t>(map_fd);
    attr.key = reinterpret_cast<std::uintptr_t>(key);
    attr.value = reinterpret_cast<std::uintptr_t>(value);
    attr.flags = flags;
    return syscall(__NR_bpf, BPF_MAP_UPDATE_ELEM, &attr, size) < 0 ? -static_cast<long>(errno) : 0;
  });
}

}  // namespace xdplive
