// Node-API surface of the namespace helpers. Results are fds, indexes or names, or -errno numbers.
#include <napi.h>

#include "exports.h"
#include "netns-thread.h"

namespace xdplive {

namespace {

int Fd(const Napi::Value& value) { return value.As<Napi::Number>().Int32Value(); }
std::uint32_t U32(const Napi::Value& value) { return value.As<Napi::Number>().Uint32Value(); }

}  // namespace

void InitNetns(Napi::Env env, Napi::Object exports) {
  exports.Set("createPrivateNetns", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
                return Napi::Number::New(info.Env(), CreatePrivateNetns());
              }));
  exports.Set("xdpLinkCreate", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
                long ret = XdpLinkCreate(Fd(info[0]), U32(info[1]), Fd(info[2]), U32(info[3]));
                return Napi::Number::New(info.Env(), static_cast<double>(ret));
              }));
  exports.Set("ifindexName", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
                int err = 0;
                std::string name = IfindexName(Fd(info[0]), U32(info[1]), &err);
                if (err != 0) return Napi::Number::New(info.Env(), -err);
                return Napi::String::New(info.Env(), name);
              }));
  exports.Set("ifnameIndex", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
                long ret = IfnameIndex(Fd(info[0]), info[1].As<Napi::String>().Utf8Value());
                return Napi::Number::New(info.Env(), static_cast<double>(ret));
              }));
  exports.Set("xdpVerdict", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
                Napi::Uint8Array packet = info[2].As<Napi::Uint8Array>();
                long ret = XdpVerdict(Fd(info[0]), Fd(info[1]), packet.Data(), packet.ByteLength(), U32(info[3]),
                                      U32(info[4]));
                return Napi::Number::New(info.Env(), static_cast<double>(ret));
              }));
  exports.Set("mapUpdateInNetns", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
                Napi::Uint8Array key = info[2].As<Napi::Uint8Array>();
                Napi::Uint8Array value = info[3].As<Napi::Uint8Array>();
                long ret = MapUpdateInNetns(Fd(info[0]), Fd(info[1]), key.Data(), value.Data(),
                                            static_cast<std::uint64_t>(info[4].As<Napi::Number>().Int64Value()));
                return Napi::Number::New(info.Env(), static_cast<double>(ret));
              }));
}

}  // namespace xdplive
