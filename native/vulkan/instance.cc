#ifdef GEYSER_WITH_VULKAN
#include "vulkan/instance.h"

#include <string>

#include "vulkan/vk_error.h"

namespace geyser::vk {

Result<std::shared_ptr<InstanceCore>> InstanceCore::Create() {
  auto global = LoadVulkanLibrary();
  if (!global) return global.error();
  const GlobalFns& g = *global.value();
  uint32_t loaderVersion = VK_API_VERSION_1_0;
  if (g.EnumerateInstanceVersion != nullptr) g.EnumerateInstanceVersion(&loaderVersion);
  if (loaderVersion < VK_API_VERSION_1_1) {
    return MakeError("VulkanInitializationError",
                     "the Vulkan loader supports only " + std::to_string(VK_API_VERSION_MAJOR(loaderVersion)) + "." +
                         std::to_string(VK_API_VERSION_MINOR(loaderVersion)) + "; Geyser needs 1.1 or later");
  }
  uint32_t apiVersion = loaderVersion >= VK_API_VERSION_1_2 ? VK_API_VERSION_1_2 : VK_API_VERSION_1_1;
  VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
  app.pApplicationName = "geyser";
  app.pEngineName = "geyser";
  app.apiVersion = apiVersion;
  VkInstanceCreateInfo info{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
  info.pApplicationInfo = &app;
  VkInstance instance = VK_NULL_HANDLE;
  VkResult result = g.CreateInstance(&info, nullptr, &instance);
  if (result != VK_SUCCESS) return ApiError("vkCreateInstance", result, "VulkanInitializationError");
  std::shared_ptr<InstanceCore> core(new InstanceCore(instance, apiVersion, true));
  Status loaded = LoadInstanceFns(instance, &core->fns_);
  if (!loaded) return loaded.error();  // ~InstanceCore cannot destroy it without fns: see below
  return core;
}

Result<std::shared_ptr<InstanceCore>> InstanceCore::Borrow(VkInstance instance, uint32_t apiVersion) {
  if (instance == VK_NULL_HANDLE) return MakeError("InvalidDescriptor", "existing.instance is a null handle");
  std::shared_ptr<InstanceCore> core(new InstanceCore(instance, apiVersion, false));
  Status loaded = LoadInstanceFns(instance, &core->fns_);
  if (!loaded) return loaded.error();
  return core;
}

InstanceCore::~InstanceCore() {
  // A failed LoadInstanceFns leaves DestroyInstance null; ask the loader directly then.
  if (!owned_ || instance_ == VK_NULL_HANDLE) return;
  PFN_vkDestroyInstance destroy = fns_.DestroyInstance;
  if (destroy == nullptr) {
    auto global = LoadVulkanLibrary();
    if (global) destroy = reinterpret_cast<PFN_vkDestroyInstance>(global.value()->GetInstanceProcAddr(instance_, "vkDestroyInstance"));
  }
  if (destroy != nullptr) destroy(instance_, nullptr);
}

}  // namespace geyser::vk
#endif
