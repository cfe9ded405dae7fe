// testRunCancel(id), testRunCancelAll(): see test-run-cancel.h.
#include "test-run-cancel.h"

#include <algorithm>
#include <mutex>
#include <vector>

#include "js-args.h"
#include "registry.h"

namespace progrun {
namespace {

struct Entry {
  napi_env env;
  std::uint32_t id;
  std::shared_ptr<CancelFlag> flag;
};

// Few calls are in flight at once (at most the pool's threads run, the rest wait): a list suffices.
std::mutex mutex;
std::vector<Entry> entries;

void RequestWhere(napi_env env, bool all, std::uint32_t id) {
  std::lock_guard<std::mutex> lock(mutex);
  for (Entry& entry : entries)
    if (entry.env == env && (all || entry.id == id)) entry.flag->Request();
}

napi_value TestRunCancel(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  std::uint32_t id = 0;
  if (!GetArgs(env, info, 1, argv) || !ReadU32(env, argv[0], "id", &id)) return nullptr;
  if (id == 0) return ThrowRangeError(env, "id", "must not be 0 (the id of calls that take none)"), nullptr;
  RequestWhere(env, false, id);
  return nullptr;
}

napi_value TestRunCancelAll(napi_env env, napi_callback_info) {
  RequestWhere(env, true, 0);
  return nullptr;
}

void Register(Napi::Env env, Napi::Object exports) {
  ExportFunction(env, exports, "testRunCancel", TestRunCancel);
  ExportFunction(env, exports, "testRunCancelAll", TestRunCancelAll);
}

}  // namespace

CancelRegistration::CancelRegistration(napi_env env, std::uint32_t id) : flag_(std::make_shared<CancelFlag>()) {
  std::lock_guard<std::mutex> lock(mutex);
  entries.push_back(Entry{env, id, flag_});
}

CancelRegistration::~CancelRegistration() {
  std::lock_guard<std::mutex> lock(mutex);
  entries.erase(std::remove_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.flag == flag_; }),
                entries.end());
}

PROGRUN_REGISTER(Register);
}  // namespace progrun
