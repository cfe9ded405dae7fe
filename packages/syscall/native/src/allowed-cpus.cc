// allowedCpus() -> number[]: the CPUs this process may run on (sched_getaffinity), for validating and
// defaulting the placement of @progrun/xdp-live's workers. Empty when the mask cannot be read.
#include <sched.h>

#include "js-args.h"
#include "registry.h"

namespace progrun {
namespace {

napi_value AllowedCpus(napi_env env, napi_callback_info) {
  napi_value cpus = nullptr;
  if (napi_create_array(env, &cpus) != napi_ok) return nullptr;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
  std::uint32_t n = 0;
  for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
    if (CPU_ISSET(cpu, &set) && napi_set_element(env, cpus, n++, MakeInt(env, cpu)) != napi_ok) return nullptr;
  return cpus;
}

void Register(Napi::Env env, Napi::Object exports) { ExportFunction(env, exports, "allowedCpus", AllowedCpus); }

}  // namespace
PROGRUN_REGISTER(Register);
}  // namespace progrun
