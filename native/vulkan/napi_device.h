// JS class `Device` (vulkan.Device): one DeviceCore. Created from JS with a flat options object
// ({ deviceIndex, deviceUuid, existing }); images, semaphores and fences take it as their parent.
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <napi.h>

#include <memory>

#include "vulkan/device.h"

namespace geyser::vk {

class DeviceWrap : public Napi::ObjectWrap<DeviceWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit DeviceWrap(const Napi::CallbackInfo& info);

  // The device, or a thrown `Released` error once closed.
  std::shared_ptr<DeviceCore> Core(Napi::Env env) const;
  // Unwraps argument `index` as a Device (throws for anything else).
  static DeviceWrap* FromArg(const Napi::CallbackInfo& info, size_t index);

 private:
  static Napi::Value ListDevices(const Napi::CallbackInfo& info);
  Napi::Value Info(const Napi::CallbackInfo& info);
  Napi::Value FormatSupport(const Napi::CallbackInfo& info);
  Napi::Value LiveAllocations(const Napi::CallbackInfo& info);
  Napi::Value RawHandles(const Napi::CallbackInfo& info);
  Napi::Value SubmitSignal(const Napi::CallbackInfo& info);
  Napi::Value SubmitWait(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  // dispatchCompute({ spirv, images, pushConstants, groupsX, groupsY, groupsZ }) (napi_compute.cc)
  Napi::Value DispatchCompute(const Napi::CallbackInfo& info);
  // The same on the libuv pool: returns a promise (napi_compute.cc)
  Napi::Value DispatchComputeAsync(const Napi::CallbackInfo& info);
  // Compute pipelines cached on the device (0 before the first dispatch) (napi_compute.cc)
  Napi::Value CachedPipelines(const Napi::CallbackInfo& info);

  std::shared_ptr<DeviceCore> core_;
};

// Plain-object description of a physical device (shared by listDevices() and info()).
Napi::Object DescribeForJs(Napi::Env env, const PhysicalDeviceInfo& device);

}  // namespace geyser::vk

#endif
