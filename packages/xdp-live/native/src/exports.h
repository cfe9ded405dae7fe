// Each file of the addon adds its own functions to the exports object.
#pragma once

#include <napi.h>

namespace xdplive {

void InitLiveRun(Napi::Env env, Napi::Object exports);
void InitNetns(Napi::Env env, Napi::Object exports);
void InitCpus(Napi::Env env, Napi::Object exports);

}  // namespace xdplive
