// Calling JS from a libuv callback: open a handle scope, enter the async context (so promise
// continuations run afterwards, as after any I/O callback), and turn a JS exception thrown by the
// callback into an uncaught exception instead of letting a C++ exception unwind into libuv.
#pragma once

#include <napi.h>

#include <initializer_list>

namespace geyser {

// Returns false when the callback threw (the exception went to process 'uncaughtException').
// `receiver` is the `this` of the call and must be an object (napi_make_callback requires one).
inline bool CallJs(Napi::Env env, Napi::Object receiver, const Napi::FunctionReference& callback,
                   const Napi::AsyncContext& context, std::initializer_list<napi_value> args) {
  try {
    callback.MakeCallback(receiver, args, context);
    return true;
  } catch (const Napi::Error& error) {
    napi_fatal_exception(env, error.Value());
    return false;
  }
}

}  // namespace geyser
