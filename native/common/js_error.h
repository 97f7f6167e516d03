// The one place where a native failure becomes a JS exception. The thrown Error carries
// `geyserCode` (and `detail`, e.g. the VkResult name); src/core/native.ts rewraps it as GeyserError.
#pragma once

#include <napi.h>

#include "common/result.h"

namespace geyser {

Napi::Error ToJsError(Napi::Env env, const Error& error);

// Throws the error as a JS exception (C++ exceptions are enabled in the addon).
[[noreturn]] void ThrowJs(Napi::Env env, const Error& error);

// Unwraps a Result or throws its error into JS.
template <typename T>
T Unwrap(Napi::Env env, Result<T>&& result) {
  if (!result) ThrowJs(env, result.error());
  return result.take();
}

}  // namespace geyser
