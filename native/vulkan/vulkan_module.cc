// Registers the Vulkan backend's exports as `vulkan`: { available, reason, Device, Image,
// Semaphore, Fence }. Classes are defined per N-API environment (main thread and each worker get
// their own), so no state is shared between environments except the process-wide dlopen handle.
// Without Vulkan headers at build time the backend reports itself unavailable instead.
#include "common/modules.h"

#ifdef GEYSER_WITH_VULKAN
#include "vulkan/napi_device.h"
#include "vulkan/napi_image.h"
#include "vulkan/napi_sync.h"
#include "vulkan/vk_loader.h"
#endif

namespace geyser {

void InitVulkan(Napi::Env env, Napi::Object exports) {
  Napi::Object vulkan = Napi::Object::New(env);
#ifdef GEYSER_WITH_VULKAN
  // The loader is opened lazily, so a machine without libvulkan still loads the addon; report
  // whether it opens so probes can explain themselves.
  auto loader = vk::LoadVulkanLibrary();
  vulkan.Set("available", Napi::Boolean::New(env, loader.ok()));
  vulkan.Set("reason", Napi::String::New(env, loader.ok() ? "" : loader.error().message));
  vulkan.Set("Device", vk::DeviceWrap::Define(env));
  vulkan.Set("Image", vk::ImageWrap::Define(env));
  vulkan.Set("Semaphore", vk::SemaphoreWrap::Define(env));
  vulkan.Set("Fence", vk::FenceWrap::Define(env));
#else
  vulkan.Set("available", Napi::Boolean::New(env, false));
  vulkan.Set("reason", Napi::String::New(env, "the addon was built without Vulkan headers (install libvulkan-dev and rebuild)"));
#endif
  exports.Set("vulkan", vulkan);
}

}  // namespace geyser
