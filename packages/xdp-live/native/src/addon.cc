// Module entry point of the live-injection addon.
#include <napi.h>

#include "exports.h"

static Napi::Object InitXdpLive(Napi::Env env, Napi::Object exports) {
  xdplive::InitLiveRun(env, exports);
  xdplive::InitNetns(env, exports);
  xdplive::InitCpus(env, exports);
  return exports;
}

NODE_API_MODULE(progrun_xdp_live, InitXdpLive)
