#include "js-args.h"

#include <cmath>
#include <cstring>

namespace progrun {

static bool ThrowWith(napi_env env, bool range, const char* what, const char* rule) {
  std::string message = std::string(what) + " " + rule;
  if (range)
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", message.c_str());
  else
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message.c_str());
  return false;
}

bool ThrowTypeError(napi_env env, const char* what, const char* rule) { return ThrowWith(env, false, what, rule); }
bool ThrowRangeError(napi_env env, const char* what, const char* rule) { return ThrowWith(env, true, what, rule); }

static bool IsNullish(napi_env env, napi_value value) {
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok) return false;
  return type == napi_undefined || type == napi_null;
}

static std::size_t ElementSize(napi_typedarray_type type) {
  switch (type) {
    case napi_int8_array:
    case napi_uint8_array:
    case napi_uint8_clamped_array:
      return 1;
    case napi_int16_array:
    case napi_uint16_array:
      return 2;
    case napi_int32_array:
    case napi_uint32_array:
    case napi_float32_array:
      return 4;
    case napi_float64_array:
    case napi_bigint64_array:
    case napi_biguint64_array:
      return 8;
    default:  // element types newer than these headers (Float16Array): 2 bytes
      return type == 11 ? 2 : 0;
  }
}

bool ReadBytes(napi_env env, napi_value value, const char* what, bool nullable, Bytes* out) {
  *out = Bytes{};
  if (nullable && IsNullish(env, value)) return true;
  out->present = true;
  bool is = false;
  if (napi_is_typedarray(env, value, &is) == napi_ok && is) {
    napi_typedarray_type type;
    std::size_t length = 0;
    void* data = nullptr;
    if (napi_get_typedarray_info(env, value, &type, &length, &data, nullptr, nullptr) != napi_ok)
      return ThrowTypeError(env, what, "must be a readable TypedArray");
    std::size_t size = ElementSize(type);
    if (size == 0 || length > SIZE_MAX / size) return ThrowTypeError(env, what, "has an unsupported element type");
    out->data = static_cast<std::uint8_t*>(data);
    out->length = data == nullptr ? 0 : length * size;
    return true;
  }
  if (napi_is_dataview(env, value, &is) == napi_ok && is) {
    std::size_t length = 0;
    void* data = nullptr;
    if (napi_get_dataview_info(env, value, &length, &data, nullptr, nullptr) != napi_ok)
      return ThrowTypeError(env, what, "must be a readable DataView");
    out->data = static_cast<std::uint8_t*>(data);
    out->length = data == nullptr ? 0 : length;
    return true;
  }
  if (napi_is_arraybuffer(env, value, &is) == napi_ok && is) {
    std::size_t length = 0;
    void* data = nullptr;
    if (napi_get_arraybuffer_info(env, value, &data, &length) != napi_ok)
      return ThrowTypeError(env, what, "must be a readable ArrayBuffer");
    out->data = static_cast<std::uint8_t*>(data);
    out->length = data == nullptr ? 0 : length;
    return true;
  }
  return ThrowTypeError(env, what, nullable ? "must be a Uint8Array, Buffer, DataView, ArrayBuffer or null"
                                            : "must be a Uint8Array, Buffer, DataView or ArrayBuffer");
}

static bool ReadIntegerNumber(napi_env env, napi_value value, const char* what, double min, double max,
                              const char* rule, double* out) {
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_number)
    return ThrowTypeError(env, what, "must be a number");
  double number = 0;
  if (napi_get_value_double(env, value, &number) != napi_ok) return ThrowTypeError(env, what, "must be a number");
  if (!std::isfinite(number) || std::trunc(number) != number) return ThrowRangeError(env, what, "must be an integer");
  if (number < min || number > max) return ThrowRangeError(env, what, rule);
  *out = number;
  return true;
}

bool ReadFd(napi_env env, napi_value value, const char* what, int* out) {
  double number;
  if (!ReadIntegerNumber(env, value, what, 0, 2147483647.0, "must be a file descriptor (0 to 2^31-1)", &number))
    return false;
  *out = static_cast<int>(number);
  return true;
}

bool ReadFdOrNone(napi_env env, napi_value value, const char* what, int* out) {
  double number;
  if (!ReadIntegerNumber(env, value, what, -1, 2147483647.0, "must be a file descriptor (0 to 2^31-1) or -1", &number))
    return false;
  *out = static_cast<int>(number);
  return true;
}

bool ReadU32(napi_env env, napi_value value, const char* what, std::uint32_t* out) {
  double number;
  if (!ReadIntegerNumber(env, value, what, 0, 4294967295.0, "must be in [0, 2^32)", &number)) return false;
  *out = static_cast<std::uint32_t>(number);
  return true;
}

bool ReadI32(napi_env env, napi_value value, const char* what, std::int32_t* out) {
  double number;
  if (!ReadIntegerNumber(env, value, what, -2147483648.0, 2147483647.0, "must be in [-2^31, 2^31)", &number))
    return false;
  *out = static_cast<std::int32_t>(number);
  return true;
}

bool ReadBool(napi_env env, napi_value value, const char* what, bool* out) {
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_boolean)
    return ThrowTypeError(env, what, "must be a boolean");
  return napi_get_value_bool(env, value, out) == napi_ok || ThrowTypeError(env, what, "must be a boolean");
}

bool ReadU64(napi_env env, napi_value value, const char* what, std::uint64_t* out) {
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok) return ThrowTypeError(env, what, "must be a bigint or a number");
  if (type == napi_bigint) {
    int sign = 0;
    std::size_t words = 2;
    std::uint64_t digits[2] = {0, 0};
    if (napi_get_value_bigint_words(env, value, &sign, &words, digits) != napi_ok)
      return ThrowTypeError(env, what, "must be a bigint");
    if (sign != 0 || words > 1) return ThrowRangeError(env, what, "must be in [0, 2^64)");
    *out = digits[0];
    return true;
  }
  double number;
  if (!ReadIntegerNumber(env, value, what, 0, 9007199254740991.0, "must be a safe integer >= 0", &number))
    return false;
  *out = static_cast<std::uint64_t>(number);
  return true;
}

bool ReadString(napi_env env, napi_value value, const char* what, std::size_t max_bytes, bool nullable,
                std::string* out, bool* present) {
  out->clear();
  if (present != nullptr) *present = false;
  if (nullable && IsNullish(env, value)) return true;
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_string)
    return ThrowTypeError(env, what, "must be a string");
  std::size_t length = 0;
  if (napi_get_value_string_utf8(env, value, nullptr, 0, &length) != napi_ok)
    return ThrowTypeError(env, what, "must be a string");
  if (length > max_bytes) return ThrowRangeError(env, what, "is too long");
  out->resize(length + 1);
  std::size_t copied = 0;
  if (napi_get_value_string_utf8(env, value, out->data(), length + 1, &copied) != napi_ok)
    return ThrowTypeError(env, what, "must be a string");
  out->resize(copied);
  if (std::memchr(out->data(), '\0', out->size()) != nullptr)
    return ThrowTypeError(env, what, "must not contain NUL characters");
  if (present != nullptr) *present = true;
  return true;
}

bool ReadU32Array(napi_env env, napi_value value, const char* what, std::size_t min_length,
                  std::uint32_t** out) {
  bool is = false;
  napi_typedarray_type type;
  std::size_t length = 0;
  void* data = nullptr;
  if (napi_is_typedarray(env, value, &is) != napi_ok || !is ||
      napi_get_typedarray_info(env, value, &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_uint32_array)
    return ThrowTypeError(env, what, "must be a Uint32Array");
  if (data == nullptr || length < min_length) return ThrowRangeError(env, what, "is too short");
  *out = static_cast<std::uint32_t*>(data);
  return true;
}

bool ReadU32Table(napi_env env, napi_value value, const char* what, U32Table* out) {
  bool is = false;
  napi_typedarray_type type;
  std::size_t length = 0;
  void* data = nullptr;
  if (napi_is_typedarray(env, value, &is) != napi_ok || !is ||
      napi_get_typedarray_info(env, value, &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_uint32_array)
    return ThrowTypeError(env, what, "must be a Uint32Array");
  out->data = static_cast<std::uint32_t*>(data);
  out->length = data == nullptr ? 0 : length;
  return true;
}

bool ReadArray(napi_env env, napi_value value, const char* what, napi_value* out) {
  bool is = false;
  if (napi_is_array(env, value, &is) != napi_ok || !is) return ThrowTypeError(env, what, "must be an Array");
  *out = value;
  return true;
}

bool RequireLength(napi_env env, const Bytes& bytes, std::size_t needed, const char* what, const char* why) {
  if (bytes.length >= needed) return true;
  std::string rule = "must be at least " + std::to_string(needed) + " bytes (" + why + ")";
  return ThrowRangeError(env, what, rule.c_str());
}

bool GetArgs(napi_env env, napi_callback_info info, std::size_t count, napi_value* argv, void** data) {
  std::size_t argc = count;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, data) != napi_ok) return false;
  if (argc < count) {
    napi_value undefined;
    napi_get_undefined(env, &undefined);
    for (std::size_t i = argc; i < count; i++) argv[i] = undefined;
  }
  return true;
}

napi_value MakeInt(napi_env env, std::int64_t value) {
  napi_value result = nullptr;
  napi_create_int64(env, value, &result);
  return result;
}

}  // namespace progrun
