// The single-element map commands as plain C++ (no Node-API), for callers that run them elsewhere than
// on the JavaScript thread (mapUpdateInNetns enters another network namespace first).
#pragma once

#include <cstdint>

namespace progrun {

// BPF_MAP_{LOOKUP,UPDATE,DELETE,LOOKUP_AND_DELETE}_ELEM on map_fd: 0 or -errno. The caller has checked
// key and value against the map's sizes (GetMapShape); nullptr passes "no buffer".
long MapElemCall(int cmd, int map_fd, const void* key, const void* value, std::uint64_t flags);

}  // namespace progrun
