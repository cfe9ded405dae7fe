#include "netns-thread.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <net/if.h>
#include <sched.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <system_error>
#include <thread>

#include "link-create.h"
#include "map-elem.h"
#include "test-run.h"

namespace progrun {

namespace {

// Runs fn on a new thread and waits for it; -errno (EAGAIN) when no thread can be started. Never throws:
// the callers are plain Node-API callbacks, which no C++ exception may cross.
long OnHelperThread(const std::function<long()>& fn) {
  long result = 0;
  try {
    std::thread helper([&] { result = fn(); });
    helper.join();
  } catch (const std::system_error& error) {
    return -static_cast<long>(error.code().value());
  }
  return result;
}

}  // namespace

long InNetns(int netns_fd, const std::function<long()>& fn) {
  return OnHelperThread([&]() -> long {
    if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET) != 0) return -static_cast<long>(errno);
    return fn();
  });
}

int CreatePrivateNetns() {
  return static_cast<int>(OnHelperThread([]() -> long {
    if (unshare(CLONE_NEWNET) != 0) return -static_cast<long>(errno);
    int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    return fd < 0 ? -static_cast<long>(errno) : fd;
  }));
}

long XdpLinkCreate(int netns_fd, std::uint32_t ifindex, int prog_fd, std::uint32_t xdp_flags) {
  return InNetns(netns_fd, [&] { return LinkCreateCall(prog_fd, ifindex, BPF_XDP, xdp_flags, 0); });
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
    TestRunInput in;
    in.prog_fd = prog_fd;
    in.data_in = packet;
    in.data_in_size = length;
    if (ifindex != 0) {
      in.ctx_in = reinterpret_cast<const std::uint8_t*>(&md);
      in.ctx_in_size = sizeof md;
    }
    in.repeat = 1;
    TestRunOutput out = TestRun(in, false);
    return out.ret < 0 ? out.ret : static_cast<long>(out.retval);
  });
}

long MapUpdateInNetns(int netns_fd, int map_fd, const std::uint8_t* key, const std::uint8_t* value,
                      std::uint64_t flags) {
  return InNetns(netns_fd, [&] { return MapElemCall(BPF_MAP_UPDATE_ELEM, map_fd, key, value, flags); });
}

}  // namespace progrun
