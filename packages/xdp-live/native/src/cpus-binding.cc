// The CPUs this process may run on (sched_getaffinity), for validating and defaulting worker placement.
#include <napi.h>
#include <sched.h>

#include "exports.h"

namespace xdplive {

void InitCpus(Napi::Env env, Napi::Object exports) {
  exports.Set("allowedCpus", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
                cpu_set_t set;
                CPU_ZERO(&set);
                Napi::Array cpus = Napi::Array::New(info.Env());
                if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
                std::uint32_t n = 0;
                for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
                  if (CPU_ISSET(cpu, &set)) cpus.Set(n++, Napi::Number::New(info.Env(), cpu));
                return cpus;
              }));
}

}  // namespace xdplive
