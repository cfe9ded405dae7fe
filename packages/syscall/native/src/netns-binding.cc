// Node-API surface of the network-namespace helpers (netns-thread.h), for @progrun/xdp-live. netnsFd is
// an fd of a network namespace, or -1 for the caller's own. Synchronous: the JavaScript thread waits
// for the helper thread, so the buffers and fds it passes stay valid for the whole call.
//
// createPrivateNetns()                                    -> fd | -errno
// xdpLinkCreate(netnsFd, ifindex, progFd, xdpFlags)       BPF_LINK_CREATE (BPF_XDP) -> fd | -errno
// ifindexName(netnsFd, ifindex)                           -> name | -errno
// ifnameIndex(netnsFd, name)                              -> ifindex | -errno
// xdpVerdict(netnsFd, progFd, packet, ifindex, rxQueue)   one XDP test run -> retval | -errno
// mapUpdateInNetns(netnsFd, mapFd, key, value, flags)     BPF_MAP_UPDATE_ELEM -> 0 | -errno
//   key and value are checked against the map's own key_size and value size (map-shape.h) first: a
//   shorter buffer is a RangeError, never a kernel read past its end.
#include <net/if.h>

#include <limits>
#include <string>

#include "js-args.h"
#include "map-shape.h"
#include "netns-thread.h"
#include "registry.h"

namespace progrun {
namespace {

napi_value CreatePrivateNetnsExport(napi_env env, napi_callback_info) { return MakeInt(env, CreatePrivateNetns()); }

napi_value XdpLinkCreateExport(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int netns_fd = -1, prog_fd = -1;
  std::uint32_t ifindex = 0, xdp_flags = 0;
  if (!GetArgs(env, info, 4, argv) || !ReadFdOrNone(env, argv[0], "netnsFd", &netns_fd) ||
      !ReadU32(env, argv[1], "ifindex", &ifindex) || !ReadFd(env, argv[2], "progFd", &prog_fd) ||
      !ReadU32(env, argv[3], "xdpFlags", &xdp_flags))
    return nullptr;
  return MakeInt(env, XdpLinkCreate(netns_fd, ifindex, prog_fd, xdp_flags));
}

napi_value IfindexNameExport(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int netns_fd = -1;
  std::uint32_t ifindex = 0;
  if (!GetArgs(env, info, 2, argv) || !ReadFdOrNone(env, argv[0], "netnsFd", &netns_fd) ||
      !ReadU32(env, argv[1], "ifindex", &ifindex))
    return nullptr;
  int err = 0;
  std::string name = IfindexName(netns_fd, ifindex, &err);
  if (err != 0) return MakeInt(env, -err);
  napi_value result = nullptr;
  napi_create_string_utf8(env, name.c_str(), name.size(), &result);
  return result;
}

napi_value IfnameIndexExport(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int netns_fd = -1;
  std::string name;
  if (!GetArgs(env, info, 2, argv) || !ReadFdOrNone(env, argv[0], "netnsFd", &netns_fd) ||
      !ReadString(env, argv[1], "name", IF_NAMESIZE - 1, false, &name))
    return nullptr;
  return MakeInt(env, IfnameIndex(netns_fd, name));
}

napi_value XdpVerdictExport(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  int netns_fd = -1, prog_fd = -1;
  Bytes packet;
  std::uint32_t ifindex = 0, rx_queue = 0;
  if (!GetArgs(env, info, 5, argv) || !ReadFdOrNone(env, argv[0], "netnsFd", &netns_fd) ||
      !ReadFd(env, argv[1], "progFd", &prog_fd) || !ReadBytes(env, argv[2], "packet", false, &packet) ||
      !ReadU32(env, argv[3], "ifindex", &ifindex) || !ReadU32(env, argv[4], "rxQueue", &rx_queue))
    return nullptr;
  if (packet.length > std::numeric_limits<std::uint32_t>::max())
    return ThrowRangeError(env, "packet", "must be at most 2^32-1 bytes"), nullptr;
  return MakeInt(env, XdpVerdict(netns_fd, prog_fd, packet.data, packet.length, ifindex, rx_queue));
}

napi_value MapUpdateInNetnsExport(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  int netns_fd = -1, map_fd = -1;
  Bytes key, value;
  std::uint64_t flags = 0;
  if (!GetArgs(env, info, 5, argv) || !ReadFdOrNone(env, argv[0], "netnsFd", &netns_fd) ||
      !ReadFd(env, argv[1], "mapFd", &map_fd) || !ReadBytes(env, argv[2], "key", false, &key) ||
      !ReadBytes(env, argv[3], "value", false, &value) || !ReadU64(env, argv[4], "flags", &flags))
    return nullptr;
  // The map is the authority on how many bytes the kernel reads: never a size from JavaScript.
  MapShape shape;
  long ret = GetMapShape(map_fd, &shape);
  if (ret < 0) return MakeInt(env, ret);
  if (!RequireLength(env, key, shape.key_size, "key", "the map's key_size") ||
      !RequireLength(env, value, shape.value_stride, "value", "the map's value size"))
    return nullptr;
  return MakeInt(env, MapUpdateInNetns(netns_fd, map_fd, key.data, value.data, flags));
}

void Register(Napi::Env env, Napi::Object exports) {
  ExportFunction(env, exports, "createPrivateNetns", CreatePrivateNetnsExport);
  ExportFunction(env, exports, "xdpLinkCreate", XdpLinkCreateExport);
  ExportFunction(env, exports, "ifindexName", IfindexNameExport);
  ExportFunction(env, exports, "ifnameIndex", IfnameIndexExport);
  ExportFunction(env, exports, "xdpVerdict", XdpVerdictExport);
  ExportFunction(env, exports, "mapUpdateInNetns", MapUpdateInNetnsExport);
}

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
