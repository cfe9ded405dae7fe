// Reading JavaScript arguments defensively. The TypeScript layer validates first and throws typed errors;
// these checks are the second line: whatever JavaScript passes, the addon either uses memory inside the
// buffer it was given or throws a TypeError/RangeError. It never reads or writes past a buffer.
#pragma once

#include <node_api.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace progrun {

// A byte range inside a Buffer, TypedArray, DataView or ArrayBuffer; empty when the value was null or
// undefined (data is then nullptr, so the kernel sees "no buffer"). present tells an empty buffer from
// none: the kernel refuses some pointers with a zero size (ctx_in, ctx_out), and callers must be able
// to send that.
struct Bytes {
  std::uint8_t* data = nullptr;
  std::size_t length = 0;
  bool present = false;
};

// The elements of a Uint32Array.
struct U32Table {
  std::uint32_t* data = nullptr;
  std::size_t length = 0;
};

// Throws a TypeError (pending JS exception) carrying "<what> <rule>" and returns false.
bool ThrowTypeError(napi_env env, const char* what, const char* rule);
bool ThrowRangeError(napi_env env, const char* what, const char* rule);

// Each Read* returns false with a pending exception when the value breaks its rule.
bool ReadBytes(napi_env env, napi_value value, const char* what, bool nullable, Bytes* out);
// An fd: an integer Number in [0, 2^31). Closed fds are not detected here; the kernel answers EBADF.
bool ReadFd(napi_env env, napi_value value, const char* what, int* out);
// An fd as ReadFd, or -1 for "none" (e.g. "stay in the caller's network namespace").
bool ReadFdOrNone(napi_env env, napi_value value, const char* what, int* out);
// An integer Number in [0, 2^32).
bool ReadU32(napi_env env, napi_value value, const char* what, std::uint32_t* out);
// An integer Number in [-2^31, 2^31).
bool ReadI32(napi_env env, napi_value value, const char* what, std::int32_t* out);
// A boolean.
bool ReadBool(napi_env env, napi_value value, const char* what, bool* out);
// A BigInt in [0, 2^64) or a safe-integer Number >= 0.
bool ReadU64(napi_env env, napi_value value, const char* what, std::uint64_t* out);
// A string without NUL characters, at most max_bytes bytes of UTF-8; null/undefined reads as empty when
// nullable (present is then false).
bool ReadString(napi_env env, napi_value value, const char* what, std::size_t max_bytes, bool nullable,
                std::string* out, bool* present = nullptr);
// A Uint32Array of at least min_length elements, for results written back to JavaScript.
bool ReadU32Array(napi_env env, napi_value value, const char* what, std::size_t min_length,
                  std::uint32_t** out);

// A Uint32Array of any length (its data is nullptr when empty).
bool ReadU32Table(napi_env env, napi_value value, const char* what, U32Table* out);
// An Array (its elements are read later, as they are needed).
bool ReadArray(napi_env env, napi_value value, const char* what, napi_value* out);

// Throws a RangeError "<what> must be at least <needed> bytes (<why>)" unless bytes holds needed bytes:
// the check before the kernel reads or writes `needed` bytes through bytes.data.
bool RequireLength(napi_env env, const Bytes& bytes, std::size_t needed, const char* what, const char* why);

// Reads up to `count` arguments into argv (missing ones are undefined) and the function's data pointer.
bool GetArgs(napi_env env, napi_callback_info info, std::size_t count, napi_value* argv, void** data = nullptr);

napi_value MakeInt(napi_env env, std::int64_t value);

}  // namespace progrun
