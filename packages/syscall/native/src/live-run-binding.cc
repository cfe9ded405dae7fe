// Node-API surface of the live-injection engine (live-run.h), for @progrun/xdp-live.
//
// new LiveRun(config)     reads and copies the whole config (packets included); starts nothing
// run.start(onDone)       -> 0 | -errno: duplicates the fds, starts the workers; onDone is called once on
//                            the main thread when all have stopped (never when start failed)
// run.snapshot(out)       fills a Float64Array of at least run.snapshotLength elements
// run.stop(), run.join()  ask the workers to stop; wait for them (both harmless before start)
// run.workers, run.snapshotLength
// LiveRun.snapshotStride, LiveRun.snapshotFields, LiveRun.workerStates, LiveRun.failedSteps
//                         the snapshot layout and the names of the state and failed-step codes, by index
// monotonicNs()           CLOCK_MONOTONIC in ns, the clock of snapshots
//
// Every config field is read with js-args' readers (type and range checked before use), so a wrong
// value is a TypeError/RangeError naming config.<field>, never a crash.
#include <napi.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <memory>
#include <string>

#include "js-args.h"
#include "live-run.h"
#include "registry.h"

namespace progrun {
namespace {

// Most packet templates and CPUs one run takes (the TypeScript layer allows 4096 templates).
constexpr std::uint32_t kMaxPackets = 4096;
constexpr std::uint32_t kMaxCpus = CPU_SETSIZE;
// The largest frame BPF_F_TEST_XDP_LIVE_FRAMES takes is one page minus headroom; anything above a page
// is refused here, and the kernel answers EINVAL for the rest.
constexpr std::size_t kMaxFrame = 4096;
// BPF_F_TEST_XDP_LIVE_FRAMES takes batch_size 1..256 (E2BIG above).
constexpr std::uint32_t kMaxBatch = 256;

// config[key], or false with a pending exception (a throwing getter's own, or a TypeError when config
// is not an object).
bool Field(napi_env env, napi_value config, const char* key, napi_value* out) {
  napi_valuetype type;
  if (napi_typeof(env, config, &type) != napi_ok || type != napi_object)
    return ThrowTypeError(env, "config", "must be an object");
  return napi_get_named_property(env, config, key, out) == napi_ok;
}

// An array of at most max_length elements: its length, or false with a pending exception.
bool ReadArray(napi_env env, napi_value value, const char* what, std::uint32_t max_length, std::uint32_t* length) {
  bool is = false;
  if (napi_is_array(env, value, &is) != napi_ok || !is) return ThrowTypeError(env, what, "must be an array");
  if (napi_get_array_length(env, value, length) != napi_ok) return ThrowTypeError(env, what, "must be an array");
  if (*length == 0 || *length > max_length) {
    std::string rule = "must hold 1 to " + std::to_string(max_length) + " elements";
    return ThrowRangeError(env, what, rule.c_str());
  }
  return true;
}

// A finite Number >= 0.
bool ReadNonNegative(napi_env env, napi_value value, const char* what, double* out) {
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_number)
    return ThrowTypeError(env, what, "must be a number");
  if (napi_get_value_double(env, value, out) != napi_ok) return ThrowTypeError(env, what, "must be a number");
  if (!std::isfinite(*out) || *out < 0) return ThrowRangeError(env, what, "must be a finite number >= 0");
  return true;
}

bool ReadPackets(napi_env env, napi_value config, LiveRunConfig* c) {
  napi_value packets;
  std::uint32_t length = 0;
  if (!Field(env, config, "packets", &packets) || !ReadArray(env, packets, "config.packets", kMaxPackets, &length))
    return false;
  for (std::uint32_t i = 0; i < length; i++) {
    napi_value element;
    if (napi_get_element(env, packets, i, &element) != napi_ok) return false;
    Bytes bytes;
    if (!ReadBytes(env, element, "config.packets[i]", false, &bytes)) return false;
    if (bytes.length == 0 || bytes.length > kMaxFrame)
      return ThrowRangeError(env, "config.packets[i]", "must hold 1 to 4096 bytes");
    c->packets.emplace_back(bytes.data, bytes.data + bytes.length);
  }
  return true;
}

bool ReadCpus(napi_env env, napi_value config, LiveRunConfig* c) {
  napi_value cpus;
  std::uint32_t length = 0;
  if (!Field(env, config, "cpus", &cpus) || !ReadArray(env, cpus, "config.cpus", kMaxCpus, &length)) return false;
  for (std::uint32_t i = 0; i < length; i++) {
    napi_value element;
    std::int32_t cpu = 0;
    if (napi_get_element(env, cpus, i, &element) != napi_ok || !ReadI32(env, element, "config.cpus[i]", &cpu))
      return false;
    if (cpu < -1 || cpu >= static_cast<std::int32_t>(kMaxCpus))
      return ThrowRangeError(env, "config.cpus[i]", "must be a CPU number below CPU_SETSIZE, or -1 (not pinned)");
    c->cpus.push_back(cpu);
  }
  return true;
}

bool ReadConfig(napi_env env, napi_value config, LiveRunConfig* c) {
  napi_value v;
  double count = 0, duration_ns = 0, call_target_ns = 0;
  if (!(Field(env, config, "progFd", &v) && ReadFd(env, v, "config.progFd", &c->prog_fd)) ||
      !(Field(env, config, "netnsFd", &v) && ReadFdOrNone(env, v, "config.netnsFd", &c->netns_fd)) ||
      !ReadPackets(env, config, c) ||
      !(Field(env, config, "ifindex", &v) && ReadU32(env, v, "config.ifindex", &c->ifindex)) ||
      !(Field(env, config, "rxQueue", &v) && ReadU32(env, v, "config.rxQueue", &c->rx_queue)) ||
      !(Field(env, config, "batchSize", &v) && ReadU32(env, v, "config.batchSize", &c->batch_size)) ||
      !(Field(env, config, "count", &v) && ReadNonNegative(env, v, "config.count", &count)) ||
      !(Field(env, config, "durationNs", &v) && ReadNonNegative(env, v, "config.durationNs", &duration_ns)) ||
      !(Field(env, config, "ratePps", &v) && ReadNonNegative(env, v, "config.ratePps", &c->rate_pps)) ||
      !ReadCpus(env, config, c) ||
      !(Field(env, config, "chunkFrames", &v) && ReadU32(env, v, "config.chunkFrames", &c->chunk_frames)) ||
      !(Field(env, config, "callTargetNs", &v) && ReadNonNegative(env, v, "config.callTargetNs", &call_target_ns)))
    return false;
  if (c->batch_size == 0 || c->batch_size > kMaxBatch)
    return ThrowRangeError(env, "config.batchSize", "must be in [1, 256]");
  // Counts and durations beyond 2^53 are unbounded in practice; 1 ns is the shortest call target.
  c->count = static_cast<std::uint64_t>(std::min(count, 9007199254740992.0));
  c->duration_ns = static_cast<std::uint64_t>(std::min(duration_ns, 9007199254740992.0));
  c->call_target_ns = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::min(call_target_ns, 9007199254740992.0)));
  return true;
}

Napi::Array Names(Napi::Env env, const char* const* names, std::size_t count) {
  Napi::Array array = Napi::Array::New(env, count);
  for (std::size_t i = 0; i < count; i++) array.Set(static_cast<std::uint32_t>(i), Napi::String::New(env, names[i]));
  return array;
}

template <std::size_t N>
Napi::Array Names(Napi::Env env, const char* const (&names)[N]) {
  return Names(env, names, N);
}

class LiveRunHandle : public Napi::ObjectWrap<LiveRunHandle> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "LiveRun",
                       {InstanceMethod<&LiveRunHandle::Start>("start"),
                        InstanceMethod<&LiveRunHandle::Snapshot>("snapshot"),
                        InstanceMethod<&LiveRunHandle::Stop>("stop"), InstanceMethod<&LiveRunHandle::Join>("join"),
                        InstanceAccessor<&LiveRunHandle::Workers>("workers"),
                        InstanceAccessor<&LiveRunHandle::SnapshotLength>("snapshotLength"),
                        StaticValue("snapshotStride", Napi::Number::New(env, kSnapshotStride)),
                        StaticValue("snapshotFields", Names(env, kSnapshotFieldNames)),
                        StaticValue("workerStates", Names(env, kWorkerStateNames)),
                        StaticValue("failedSteps", Names(env, kFailedStepNames))});
  }

  explicit LiveRunHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<LiveRunHandle>(info) {
    LiveRunConfig config;
    // Napi::Error::New(env) takes over the reader's pending TypeError/RangeError.
    if (!ReadConfig(info.Env(), info[0], &config)) throw Napi::Error::New(info.Env());
    run_ = std::make_unique<LiveRun>(std::move(config));
  }

 private:
  Napi::Value Start(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!info[0].IsFunction()) {
      ThrowTypeError(env, "onDone", "must be a function");
      throw Napi::Error::New(env);
    }
    if (started_) return Napi::Number::New(env, -EALREADY);
    started_ = true;
    // Keeps the event loop alive while the workers run; released by the last worker once it has queued
    // the call (or here, when nothing started).
    Napi::ThreadSafeFunction done =
        Napi::ThreadSafeFunction::New(env, info[0].As<Napi::Function>(), "progrun-live-run", 0, 1);
    long ret = run_->Start([done]() mutable {
      done.BlockingCall();
      done.Release();
    });
    if (ret < 0) done.Release();
    return Napi::Number::New(env, static_cast<double>(ret));
  }

  Napi::Value Snapshot(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    napi_typedarray_type type;
    std::size_t length = 0;
    void* data = nullptr;
    bool is = false;
    if (napi_is_typedarray(env, info[0], &is) != napi_ok || !is ||
        napi_get_typedarray_info(env, info[0], &type, &length, &data, nullptr, nullptr) != napi_ok ||
        type != napi_float64_array) {
      ThrowTypeError(env, "out", "must be a Float64Array");
      throw Napi::Error::New(env);
    }
    if (data == nullptr || length < run_->SnapshotLength()) {
      ThrowRangeError(env, "out", "must hold at least snapshotLength elements");
      throw Napi::Error::New(env);
    }
    run_->Snapshot(static_cast<double*>(data), length);
    return env.Undefined();
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

  bool started_ = false;
  // Destroyed with the handle: a run collected while going is stopped and joined by ~LiveRun.
  std::unique_ptr<LiveRun> run_;
};

napi_value MonotonicNsExport(napi_env env, napi_callback_info) {
  napi_value result = nullptr;
  napi_create_double(env, static_cast<double>(MonotonicNs()), &result);
  return result;
}

void Register(Napi::Env env, Napi::Object exports) {
  exports.Set("LiveRun", LiveRunHandle::Define(env));
  ExportFunction(env, exports, "monotonicNs", MonotonicNsExport);
}

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
