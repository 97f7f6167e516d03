// Off macOS the Metal backend is not compiled; its exports say so when used.
#ifndef __APPLE__
#include "common/modules.h"

namespace geyser {
void InitMetal(Napi::Env env, Napi::Object exports) {
  Napi::Object metal = Napi::Object::New(env);
  metal.Set("available", Napi::Boolean::New(env, false));
  metal.Set("reason", Napi::String::New(env, "the Metal backend is built only on macOS"));
  exports.Set("metal", metal);
}
}  // namespace geyser
#endif
