// JS classes `Semaphore` and `Fence` (vulkan.Semaphore, vulkan.Fence). Waits return promises and
// run on the libuv pool; close() cancels a wait in progress (it rejects with Released) and the
// Vulkan object is destroyed once the wait's worker lets go of it.
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <napi.h>

#include <atomic>
#include <memory>

#include "vulkan/fence.h"
#include "vulkan/semaphore.h"

namespace geyser::vk {

class SemaphoreWrap : public Napi::ObjectWrap<SemaphoreWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit SemaphoreWrap(const Napi::CallbackInfo& info);
  ~SemaphoreWrap() override;
  std::shared_ptr<Semaphore> Core(Napi::Env env) const;
  static SemaphoreWrap* FromArg(const Napi::CallbackInfo& info, size_t index);

 private:
  Napi::Value ExportFd(const Napi::CallbackInfo& info);
  Napi::Value Signal(const Napi::CallbackInfo& info);
  Napi::Value Value(const Napi::CallbackInfo& info);
  Napi::Value Wait(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);

  std::shared_ptr<Semaphore> semaphore_;
  std::shared_ptr<std::atomic<bool>> cancelled_ = std::make_shared<std::atomic<bool>>(false);
};

class FenceWrap : public Napi::ObjectWrap<FenceWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit FenceWrap(const Napi::CallbackInfo& info);
  ~FenceWrap() override;

 private:
  std::shared_ptr<Fence> Core(Napi::Env env) const;
  Napi::Value ExportFd(const Napi::CallbackInfo& info);
  Napi::Value Signaled(const Napi::CallbackInfo& info);
  Napi::Value Reset(const Napi::CallbackInfo& info);
  Napi::Value Signal(const Napi::CallbackInfo& info);
  Napi::Value Wait(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);

  std::shared_ptr<Fence> fence_;
  std::shared_ptr<std::atomic<bool>> cancelled_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace geyser::vk

#endif
