#ifdef GEYSER_WITH_VULKAN
#include "vulkan/napi_sync.h"

#include "vulkan/napi_device.h"
#include "vulkan/napi_util.h"

namespace geyser::vk {
namespace {

SyncHandleType HandleTypeField(const Napi::Object& options) {
  return U32Field(options, "handleType") == 1 ? SyncHandleType::kSyncFd : SyncHandleType::kOpaqueFd;
}

double NumberArg(const Napi::CallbackInfo& info, size_t index) {
  if (info.Length() <= index || !info[index].IsNumber()) {
    ThrowJs(info.Env(), MakeError("Other", "internal: expected a number as argument " + std::to_string(index)));
  }
  return info[index].As<Napi::Number>().DoubleValue();
}

}  // namespace

// ---- Semaphore -----------------------------------------------------------------------------

Napi::Function SemaphoreWrap::Define(Napi::Env env) {
  return DefineClass(env, "VulkanSemaphore",
                     {
                         InstanceMethod<&SemaphoreWrap::ExportFd>("exportFd"),
                         InstanceMethod<&SemaphoreWrap::Signal>("signal"),
                         InstanceMethod<&SemaphoreWrap::Value>("value"),
                         InstanceMethod<&SemaphoreWrap::Wait>("wait"),
                         InstanceMethod<&SemaphoreWrap::Close>("close"),
                     });
}

// new Semaphore(device, { timeline, initialValue, handleType: 0 opaque | 1 sync, importFd: -1 | fd, exportable })
SemaphoreWrap::SemaphoreWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SemaphoreWrap>(info) {
  Napi::Env env = info.Env();
  auto device = DeviceWrap::FromArg(info, 0)->Core(env);
  Napi::Object options = ObjectArg(info, 1, "semaphore options");
  bool timeline = BoolField(options, "timeline");
  int importFd = static_cast<int>(NumberField(options, "importFd"));
  if (importFd >= 0) {
    semaphore_ = geyser::Unwrap(env, Semaphore::Import(std::move(device), importFd, timeline, HandleTypeField(options)));
  } else {
    semaphore_ = geyser::Unwrap(env, Semaphore::Create(std::move(device), timeline, static_cast<uint64_t>(NumberField(options, "initialValue")),
                                               HandleTypeField(options), BoolField(options, "exportable")));
  }
}

SemaphoreWrap::~SemaphoreWrap() { cancelled_->store(true); }

std::shared_ptr<Semaphore> SemaphoreWrap::Core(Napi::Env env) const {
  if (!semaphore_) ThrowJs(env, MakeError("Released", "the Vulkan semaphore has been released"));
  return semaphore_;
}

SemaphoreWrap* SemaphoreWrap::FromArg(const Napi::CallbackInfo& info, size_t index) {
  return SemaphoreWrap::Unwrap(ObjectArg(info, index, "a VulkanSemaphore"));
}

Napi::Value SemaphoreWrap::ExportFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Napi::Number::New(env, geyser::Unwrap(env, Core(env)->ExportFd()));
}

Napi::Value SemaphoreWrap::Signal(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  geyser::Unwrap(env, Core(env)->Signal(static_cast<uint64_t>(NumberArg(info, 0))));
  return env.Undefined();
}

Napi::Value SemaphoreWrap::Value(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Napi::Number::New(env, static_cast<double>(geyser::Unwrap(env, Core(env)->Value())));
}

Napi::Value SemaphoreWrap::Wait(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<Semaphore> semaphore = Core(env);
  uint64_t value = static_cast<uint64_t>(NumberArg(info, 0));
  uint64_t timeout = TimeoutNs(NumberArg(info, 1));
  std::shared_ptr<std::atomic<bool>> cancelled = cancelled_;
  auto* worker = new StatusWorker(env, [semaphore, value, timeout, cancelled]() { return semaphore->Wait(value, timeout, *cancelled); });
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value SemaphoreWrap::Close(const Napi::CallbackInfo& info) {
  cancelled_->store(true);
  semaphore_.reset();
  return info.Env().Undefined();
}

// ---- Fence ---------------------------------------------------------------------------------

Napi::Function FenceWrap::Define(Napi::Env env) {
  return DefineClass(env, "VulkanFence",
                     {
                         InstanceMethod<&FenceWrap::ExportFd>("exportFd"),
                         InstanceMethod<&FenceWrap::Signaled>("signaled"),
                         InstanceMethod<&FenceWrap::Reset>("reset"),
                         InstanceMethod<&FenceWrap::Signal>("signal"),
                         InstanceMethod<&FenceWrap::Wait>("wait"),
                         InstanceMethod<&FenceWrap::Close>("close"),
                     });
}

// new Fence(device, { signaled, handleType: 0 opaque | 1 sync, importFd: -1 | fd })
FenceWrap::FenceWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<FenceWrap>(info) {
  Napi::Env env = info.Env();
  auto device = DeviceWrap::FromArg(info, 0)->Core(env);
  Napi::Object options = ObjectArg(info, 1, "fence options");
  int importFd = static_cast<int>(NumberField(options, "importFd"));
  if (importFd >= 0) {
    fence_ = geyser::Unwrap(env, Fence::Import(std::move(device), importFd, HandleTypeField(options)));
  } else {
    fence_ = geyser::Unwrap(env, Fence::Create(std::move(device), BoolField(options, "signaled"), HandleTypeField(options)));
  }
}

FenceWrap::~FenceWrap() { cancelled_->store(true); }

std::shared_ptr<Fence> FenceWrap::Core(Napi::Env env) const {
  if (!fence_) ThrowJs(env, MakeError("Released", "the Vulkan fence has been released"));
  return fence_;
}

Napi::Value FenceWrap::ExportFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Napi::Number::New(env, geyser::Unwrap(env, Core(env)->ExportFd()));
}

Napi::Value FenceWrap::Signaled(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Napi::Boolean::New(env, geyser::Unwrap(env, Core(env)->Signaled()));
}

Napi::Value FenceWrap::Reset(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  geyser::Unwrap(env, Core(env)->Reset());
  return env.Undefined();
}

Napi::Value FenceWrap::Signal(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  geyser::Unwrap(env, Core(env)->Signal());
  return env.Undefined();
}

Napi::Value FenceWrap::Wait(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<Fence> fence = Core(env);
  uint64_t timeout = TimeoutNs(NumberArg(info, 0));
  std::shared_ptr<std::atomic<bool>> cancelled = cancelled_;
  auto* worker = new StatusWorker(env, [fence, timeout, cancelled]() { return fence->Wait(timeout, *cancelled); });
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value FenceWrap::Close(const Napi::CallbackInfo& info) {
  cancelled_->store(true);
  fence_.reset();
  return info.Env().Undefined();
}

}  // namespace geyser::vk
#endif
