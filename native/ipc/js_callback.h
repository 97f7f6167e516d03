// Calling JS from a libuv callback: open a handle scope, enter the async context (so promise
// continuations run afterwards, as after any I/O callback), and turn a JS exception thrown by the
// callback into an uncaught exception instead of letting a C++ exception unwind into libuv.
#pragma once

#include <napi.h>

#include <initializer_list>

namespace geyser {

// Returns false when the callback threw (the exception went to process 'uncaughtException').
inline bool CallJs(Napi::Env env, const Napi::FunctionReference& callback, const Napi::AsyncContext& context,
                   std::initializer_list<napi_value> args) {
  try {
    callback.MakeCallback(env.Undefined(), args, context);
    return true;
  } catch (const Napi::Error& error) {
    napi_fatal_exception(env, error.Value());
    return false;
  }
}

}  // namespace geyser
