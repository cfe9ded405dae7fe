// BPF_LINK_CREATE as plain C++ (no Node-API), for callers that run it elsewhere than on the JavaScript
// thread (xdpLinkCreate enters the device's network namespace first: an ifindex names a device there).
#pragma once

#include <cstdint>

namespace progrun {

// BPF_LINK_CREATE of prog_fd on target (target_fd or target_ifindex, one union); target_btf_id 0 for none.
// The link fd (O_CLOEXEC) or -errno.
long LinkCreateCall(int prog_fd, std::uint32_t target, std::uint32_t attach_type, std::uint32_t flags,
                    std::uint32_t target_btf_id);

}  // namespace progrun
