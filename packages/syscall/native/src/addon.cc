// Module entry point: runs every registration collected from the other translation units.
#include <vector>

#include "registry.h"

namespace progrun {

static std::vector<RegisterFn>& Registrations() {
  static std::vector<RegisterFn> registrations;
  return registrations;
}

bool AddRegistration(RegisterFn fn) {
  Registrations().push_back(fn);
  return true;
}

Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  for (RegisterFn fn : Registrations()) fn(env, exports);
  return exports;
}

}  // namespace progrun

static Napi::Object Init(Napi::Env env, Napi::Object exports) { return progrun::InitAddon(env, exports); }

NODE_API_MODULE(progrun_syscall, Init)
