// close(2) for the fds the other calls return: closeFd(fd) -> 0 | -errno (EBADF when already closed).
#include <unistd.h>

#include <cerrno>

#include "js-args.h"
#include "registry.h"

namespace progrun {
namespace {

napi_value CloseFd(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd = -1;
  if (!GetArgs(env, info, 1, argv) || !ReadFd(env, argv[0], "fd", &fd)) return nullptr;
  // Never retried on EINTR: Linux releases the fd before reporting it, and a retry could close a reused fd.
  return MakeInt(env, close(fd) == 0 ? 0 : -errno);
}

void Register(Napi::Env env, Napi::Object exports) { ExportFunction(env, exports, "closeFd", CloseFd); }

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
