#ifdef GEYSER_WITH_VULKAN
#include "vulkan/napi_util.h"

#include <cstdint>

namespace geyser::vk {
namespace {

[[noreturn]] void BadField(Napi::Env env, const char* key, const char* expected) {
  ThrowJs(env, MakeError("Other", std::string("internal: option '") + key + "' must be " + expected));
}

}  // namespace

Napi::Object ObjectArg(const Napi::CallbackInfo& info, size_t index, const char* what) {
  if (info.Length() <= index || !info[index].IsObject()) {
    ThrowJs(info.Env(), MakeError("Other", std::string("internal: expected ") + what + " as argument " + std::to_string(index)));
  }
  return info[index].As<Napi::Object>();
}

double NumberField(const Napi::Object& object, const char* key) {
  Napi::Value value = object.Get(key);
  if (!value.IsNumber()) BadField(object.Env(), key, "a number");
  return value.As<Napi::Number>().DoubleValue();
}

uint32_t U32Field(const Napi::Object& object, const char* key) {
  double value = NumberField(object, key);
  if (value < 0 || value > UINT32_MAX) BadField(object.Env(), key, "a 32-bit unsigned integer");
  return static_cast<uint32_t>(value);
}

bool BoolField(const Napi::Object& object, const char* key) {
  Napi::Value value = object.Get(key);
  if (!value.IsBoolean()) BadField(object.Env(), key, "a boolean");
  return value.As<Napi::Boolean>().Value();
}

std::string StringField(const Napi::Object& object, const char* key) {
  Napi::Value value = object.Get(key);
  if (!value.IsString()) BadField(object.Env(), key, "a string");
  return value.As<Napi::String>().Utf8Value();
}

uint64_t BigIntField(const Napi::Object& object, const char* key) {
  Napi::Value value = object.Get(key);
  if (!value.IsBigInt()) BadField(object.Env(), key, "a bigint");
  bool lossless = false;
  uint64_t out = value.As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless) BadField(object.Env(), key, "a bigint between 0 and 2^64-1");
  return out;
}

uint64_t TimeoutNs(double timeoutMs) {
  if (timeoutMs < 0) return UINT64_MAX;
  double ns = timeoutMs * 1e6;
  return ns >= 1.8e19 ? UINT64_MAX : static_cast<uint64_t>(ns);
}

}  // namespace geyser::vk
#endif
