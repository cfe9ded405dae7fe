// Self-registration of the addon's exports: each native/src/*.cc adds the functions it defines, so the
// one addon gains a command by gaining a file, and addon.cc never lists them.
#pragma once

#include <napi.h>

namespace progrun {

using RegisterFn = void (*)(Napi::Env env, Napi::Object exports);

// Records fn to be called with the exports object when the addon loads. Returns true (for static init).
bool AddRegistration(RegisterFn fn);

}  // namespace progrun

#define PROGRUN_REGISTER(fn) \
  [[maybe_unused]] static const bool progrun_registered_##fn = ::progrun::AddRegistration(fn)

namespace progrun {

// Adds a plain Node-API callback as exports[name]. Hot paths use plain callbacks: they skip
// node-addon-api's CallbackInfo allocation for more than six arguments.
// data reaches the callback through napi_get_cb_info.
inline void ExportFunction(Napi::Env env, Napi::Object exports, const char* name, napi_callback callback,
                           void* data = nullptr) {
  napi_value fn = nullptr;
  NAPI_THROW_IF_FAILED_VOID(env, napi_create_function(env, name, NAPI_AUTO_LENGTH, callback, data, &fn));
  exports.Set(name, Napi::Value(env, fn));
}

}  // namespace progrun
