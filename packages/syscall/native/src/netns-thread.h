// Work that must happen inside another network namespace (ifindex lookups, XDP links on a device there,
// devmap values naming a device there) runs on a short-lived helper thread that enters the namespace:
// setns() changes only the calling thread, so Node's own threads never move. The caller waits for the
// helper, so pointers into JavaScript memory stay valid and fds stay open for the whole call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace progrun {

// Runs fn on a new thread that first enters netns_fd (unless it is -1). Returns fn's result, or
// -errno when entering the namespace fails.
long InNetns(int netns_fd, const std::function<long()>& fn);

// A new, unnamed network namespace, kept alive only by the returned fd (O_CLOEXEC); -errno on failure.
int CreatePrivateNetns();

// BPF_LINK_CREATE (LinkCreateCall) with attach type BPF_XDP for prog_fd on ifindex, resolved inside
// netns_fd. Returns the link fd or -errno.
long XdpLinkCreate(int netns_fd, std::uint32_t ifindex, int prog_fd, std::uint32_t xdp_flags);

// The name of ifindex inside netns_fd, or an empty string (errno_out set) when there is none.
std::string IfindexName(int netns_fd, std::uint32_t ifindex, int* errno_out);

// The ifindex of name inside netns_fd, or -errno.
long IfnameIndex(int netns_fd, const std::string& name);

// One normal-mode (not live) XDP test run (TestRun) of packet, inside netns_fd, with an xdp_md naming
// ifindex (0: none): the program's verdict for that frame, or -errno. Runs the program once, for real.
long XdpVerdict(int netns_fd, int prog_fd, const std::uint8_t* packet, std::size_t length, std::uint32_t ifindex,
                std::uint32_t rx_queue);

// BPF_MAP_UPDATE_ELEM (MapElemCall) inside netns_fd: devmap and cpumap values name devices by ifindex,
// which the kernel resolves in the namespace of the updating thread. The caller has checked key and
// value against the map's sizes. 0 or -errno.
long MapUpdateInNetns(int netns_fd, int map_fd, const std::uint8_t* key, const std::uint8_t* value,
                      std::uint64_t flags);

}  // namespace progrun
