// Small helpers shared by the Vulkan bindings: reading the flat, fully defaulted option objects
// that src/core/vulkan builds (C++ never sees a half-specified bag), and a promise-returning
// worker for blocking waits (off the JS thread nothing touches N-API).
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <napi.h>

#include <functional>
#include <string>

#include "common/js_error.h"

namespace geyser::vk {

Napi::Object ObjectArg(const Napi::CallbackInfo& info, size_t index, const char* what);
double NumberField(const Napi::Object& object, const char* key);
uint32_t U32Field(const Napi::Object& object, const char* key);
bool BoolField(const Napi::Object& object, const char* key);
std::string StringField(const Napi::Object& object, const char* key);
uint64_t BigIntField(const Napi::Object& object, const char* key);
// Milliseconds (negative: forever) -> nanoseconds for Vulkan waits.
uint64_t TimeoutNs(double timeoutMs);

// Runs `work` on the libuv pool and settles a promise with its Status.
class StatusWorker : public Napi::AsyncWorker {
 public:
  StatusWorker(Napi::Env env, std::function<Status()> work)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), work_(std::move(work)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }
  void Execute() override {
    Status status = work_();
    if (!status) {
      error_ = status.error();
      failed_ = true;
    }
    work_ = nullptr;  // drop captured shared_ptrs on the worker thread's completion path
  }
  void OnOK() override {
    if (failed_) {
      deferred_.Reject(ToJsError(Env(), error_).Value());
    } else {
      deferred_.Resolve(Env().Undefined());
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::function<Status()> work_;
  Error error_;
  bool failed_ = false;
};

}  // namespace geyser::vk

#endif
