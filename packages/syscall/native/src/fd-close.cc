// close(2) for the fds the other calls return, and the environment's set of owned fds.
//
// ownFd(fd)     records fd as owned by an object of this environment (an FdOwner) -> 0
// closeFd(fd)   forgets fd and closes it -> 0 | -errno (EBADF when already closed)
//
// Each Node.js environment (the main thread, each worker_thread) has its own set. When the environment
// is torn down (a worker ends or is terminated, the process exits) every fd still in it is closed: a
// FinalizationRegistry never runs for a heap that is thrown away, so without this a terminated worker
// would leave its programs, maps, links and network namespaces open in the process until it exits.
#include <unistd.h>

#include <cerrno>
#include <unordered_set>

#include "js-args.h"
#include "registry.h"

namespace progrun {
namespace {

// Touched only from the environment's own thread: no lock.
using OwnedFds = std::unordered_set<int>;

OwnedFds* OwnedOf(napi_env env, napi_callback_info info, std::size_t count, napi_value* argv) {
  void* data = nullptr;
  return GetArgs(env, info, count, argv, &data) ? static_cast<OwnedFds*>(data) : nullptr;
}

napi_value OwnFd(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd = -1;
  OwnedFds* owned = OwnedOf(env, info, 1, argv);
  if (owned == nullptr || !ReadFd(env, argv[0], "fd", &fd)) return nullptr;
  owned->insert(fd);
  return MakeInt(env, 0);
}

napi_value CloseFd(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd = -1;
  OwnedFds* owned = OwnedOf(env, info, 1, argv);
  if (owned == nullptr || !ReadFd(env, argv[0], "fd", &fd)) return nullptr;
  owned->erase(fd);
  // Never retried on EINTR: Linux releases the fd before reporting it, and a retry could close a reused fd.
  return MakeInt(env, close(fd) == 0 ? 0 : -errno);
}

void CloseAllOwned(void* data) {
  auto* owned = static_cast<OwnedFds*>(data);
  for (int fd : *owned) close(fd);
  delete owned;
}

void Register(Napi::Env env, Napi::Object exports) {
  auto* owned = new OwnedFds();
  NAPI_THROW_IF_FAILED_VOID(env, napi_add_env_cleanup_hook(env, CloseAllOwned, owned));
  ExportFunction(env, exports, "ownFd", OwnFd, owned);
  ExportFunction(env, exports, "closeFd", CloseFd, owned);
}

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
