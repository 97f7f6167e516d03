// Calling JS from a libuv callback: enter the async context (so promise continuations run
// afterwards, as after any I/O callback) and turn a JS exception thrown by the callback into an
// uncaught exception instead of a C++ exception unwinding into libuv. Uses the raw N-API call:
// while a worker thread is being torn down JS cannot run, and node-addon-api's wrapper would try to
// build an Error object for that failure and abort the process.
#pragma once

#include <napi.h>

#include <initializer_list>
#include <vector>

namespace geyser {

// `receiver` is the `this` of the call and must be an object (napi_make_callback requires one).
// Returns false when the callback threw or JS cannot run any more.
inline bool CallJs(Napi::Env env, Napi::Object receiver, const Napi::FunctionReference& callback,
                   const Napi::AsyncContext& context, std::initializer_list<napi_value> args) {
  if (callback.IsEmpty()) return false;
  std::vector<napi_value> argv(args);
  napi_value result = nullptr;
  napi_status status = napi_make_callback(env, context, receiver, callback.Value(), argv.size(), argv.data(), &result);
  if (status == napi_ok) return true;
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) {
    napi_value error = nullptr;
    if (napi_get_and_clear_last_exception(env, &error) == napi_ok) napi_fatal_exception(env, error);
  }
  return false;
}

}  // namespace geyser
