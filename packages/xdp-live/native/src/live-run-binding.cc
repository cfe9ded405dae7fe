// Node-API surface of LiveRun: `new LiveRun(config, onDone)` starts the workers; onDone is called once on
// the main thread when all have stopped. Native code reports errno numbers; JavaScript builds the errors.
#include <napi.h>

#include <memory>
#include <system_error>

#include "exports.h"
#include "live-run.h"

namespace xdplive {

namespace {

std::uint32_t U32(const Napi::Object& config, const char* key) {
  return config.Get(key).As<Napi::Number>().Uint32Value();
}

double Num(const Napi::Object& config, const char* key) { return config.Get(key).As<Napi::Number>().DoubleValue(); }

class LiveRunHandle : public Napi::ObjectWrap<LiveRunHandle> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "LiveRun",
                       {InstanceMethod<&LiveRunHandle::Snapshot>("snapshot"),
                        InstanceMethod<&LiveRunHandle::Stop>("stop"), InstanceMethod<&LiveRunHandle::Join>("join"),
                        InstanceAccessor<&LiveRunHandle::Workers>("workers"),
                        InstanceAccessor<&LiveRunHandle::SnapshotLength>("snapshotLength"),
                        StaticValue("snapshotStride", Napi::Number::New(env, kSnapshotStride))});
  }

  explicit LiveRunHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<LiveRunHandle>(info) {
    Napi::Env env = info.Env();
    if (!info[0].IsObject() || !info[1].IsFunction())
      throw Napi::TypeError::New(env, "LiveRun(config, onDone): config must be an object, onDone a function");
    Napi::Object config = info[0].As<Napi::Object>();

    LiveRunConfig c;
    c.prog_fd = config.Get("progFd").As<Napi::Number>().Int32Value();
    c.netns_fd = config.Get("netnsFd").As<Napi::Number>().Int32Value();
    Napi::Array packets = config.Get("packets").As<Napi::Array>();
    for (std::uint32_t i = 0; i < packets.Length(); i++) {
      Napi::Uint8Array packet = packets.Get(i).As<Napi::Uint8Array>();
      c.packets.emplace_back(packet.Data(), packet.Data() + packet.ByteLength());
    }
    c.ifindex = U32(config, "ifindex");
    c.rx_queue = U32(config, "rxQueue");
    c.batch_size = U32(config, "batchSize");
    c.count = static_cast<std::uint64_t>(Num(config, "count"));
    c.duration_ns = static_cast<std::uint64_t>(Num(config, "durationNs"));
    c.rate_pps = Num(config, "ratePps");
    Napi::Array cpus = config.Get("cpus").As<Napi::Array>();
    for (std::uint32_t i = 0; i < cpus.Length(); i++) c.cpus.push_back(cpus.Get(i).As<Napi::Number>().Int32Value());
    c.chunk_frames = U32(config, "chunkFrames");
    c.call_target_ns = static_cast<std::uint64_t>(Num(config, "callTargetNs"));
    if (c.packets.empty() || c.cpus.empty() || c.batch_size == 0)
      throw Napi::RangeError::New(env, "LiveRun: packets, cpus and batchSize must not be empty or zero");

    done_ = Napi::ThreadSafeFunction::New(env, info[1].As<Napi::Function>(), "progrun-xdp-live", 0, 1);
    Napi::ThreadSafeFunction done = done_;
    try {
      run_ = std::make_unique<LiveRun>(std::move(c), [done]() mutable {
        done.BlockingCall();
        done.Release();
      });
    } catch (const std::system_error& error) {
      done_.Release();
      Napi::Error e = Napi::Error::New(env, error.what());
      e.Set("errno", Napi::Number::New(env, error.code().value()));
      throw e;
    }
  }

 private:
  Napi::Value Snapshot(const Napi::CallbackInfo& info) {
    Napi::Float64Array out = info[0].As<Napi::Float64Array>();
    if (out.ElementLength() < run_->SnapshotLength())
      throw Napi::RangeError::New(info.Env(), "snapshot(out): out is shorter than snapshotLength");
    run_->Snapshot(out.Data(), out.ElementLength());
    return info.Env().Undefined();
  }

  Napi::Value Stop(const Napi::CallbackInfo& info) {
    run_->Stop();
    return info.Env().Undefined();
  }

  Napi::Value Join(const Napi::CallbackInfo& info) {
    run_->Join();
    return info.Env().Undefined();
  }

  Napi::Value Workers(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(run_->workers()));
  }

  Napi::Value SnapshotLength(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(run_->SnapshotLength()));
  }

  Napi::ThreadSafeFunction done_;
  std::unique_ptr<LiveRun> run_;
};

}  // namespace

void InitLiveRun(Napi::Env env, Napi::Object exports) {
  exports.Set("LiveRun", LiveRunHandle::Define(env));
  exports.Set("monotonicNs", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
                return Napi::Number::New(info.Env(), static_cast<double>(MonotonicNs()));
              }));
}

}  // namespace xdplive
