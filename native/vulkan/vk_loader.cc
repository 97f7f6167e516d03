#ifdef GEYSER_WITH_VULKAN
#include "vulkan/vk_loader.h"

#ifdef _WIN32
#include "common/windows_headers.h"
#else
#include <dlfcn.h>
#endif

#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

namespace geyser::vk {
namespace {

struct LoadedLibrary {
  GlobalFns fns;
  Error error;
  bool ok = false;
};

LoadedLibrary OpenLibrary() {
  LoadedLibrary loaded;
  // The handle is kept for the process lifetime: Vulkan objects of any worker may still use it.
#ifdef _WIN32
  HMODULE library = LoadLibraryA("vulkan-1.dll");
  if (library == nullptr) {
    loaded.error = MakeError("VulkanInitializationError", "the Vulkan loader vulkan-1.dll could not be loaded; install a Vulkan driver");
    return loaded;
  }
  auto gipa = reinterpret_cast<PFN_vkGetInstanceProcAddr>(reinterpret_cast<void*>(GetProcAddress(library, "vkGetInstanceProcAddr")));
#else
  // GEYSER_VULKAN_LIBRARY names another loader (a bundled one, or a missing one in tests).
  const char* override = std::getenv("GEYSER_VULKAN_LIBRARY");
  std::vector<const char*> names = {"libvulkan.so.1", "libvulkan.so"};
  if (override != nullptr && *override != '\0') names = {override};
  void* library = nullptr;
  std::string tried;
  for (const char* name : names) {
    library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (library != nullptr) break;
    const char* why = dlerror();
    tried += std::string(tried.empty() ? "" : "; ") + name + ": " + (why ? why : "not found");
  }
  if (library == nullptr) {
    loaded.error = MakeError("VulkanInitializationError", "the Vulkan loader could not be opened (" + tried +
                                                              "); install libvulkan1 and a Vulkan driver");
    return loaded;
  }
  auto gipa = reinterpret_cast<PFN_vkGetInstanceProcAddr>(dlsym(library, "vkGetInstanceProcAddr"));
#endif
  if (gipa == nullptr) {
    loaded.error = MakeError("VulkanInitializationError", "libvulkan has no vkGetInstanceProcAddr");
    return loaded;
  }
  loaded.fns.GetInstanceProcAddr = gipa;
  loaded.fns.CreateInstance = reinterpret_cast<PFN_vkCreateInstance>(gipa(VK_NULL_HANDLE, "vkCreateInstance"));
  loaded.fns.EnumerateInstanceVersion =
      reinterpret_cast<PFN_vkEnumerateInstanceVersion>(gipa(VK_NULL_HANDLE, "vkEnumerateInstanceVersion"));
  loaded.fns.EnumerateInstanceExtensionProperties = reinterpret_cast<PFN_vkEnumerateInstanceExtensionProperties>(
      gipa(VK_NULL_HANDLE, "vkEnumerateInstanceExtensionProperties"));
  if (loaded.fns.CreateInstance == nullptr) {
    loaded.error = MakeError("VulkanInitializationError", "libvulkan returned no vkCreateInstance");
    return loaded;
  }
  loaded.ok = true;
  return loaded;
}

}  // namespace

Result<const GlobalFns*> LoadVulkanLibrary() {
  static std::once_flag once;
  static LoadedLibrary loaded;
  std::call_once(once, [] { loaded = OpenLibrary(); });
  if (!loaded.ok) return loaded.error;
  return &loaded.fns;
}

Status LoadInstanceFns(VkInstance instance, InstanceFns* fns) {
  auto global = LoadVulkanLibrary();
  if (!global) return global.error();
  auto gipa = global.value()->GetInstanceProcAddr;
#define GEYSER_VK_LOAD(name)                                                              \
  fns->name = reinterpret_cast<PFN_vk##name>(gipa(instance, "vk" #name));                 \
  if (fns->name == nullptr) {                                                             \
    return MakeError("VulkanInitializationError", "the Vulkan instance has no vk" #name); \
  }
  GEYSER_VK_INSTANCE_FNS(GEYSER_VK_LOAD)
#undef GEYSER_VK_LOAD
  return Ok{};
}

Status LoadDeviceFns(const InstanceFns& instanceFns, VkDevice device, DeviceFns* fns) {
  auto gdpa = instanceFns.GetDeviceProcAddr;
#define GEYSER_VK_LOAD(name)                                                            \
  fns->name = reinterpret_cast<PFN_vk##name>(gdpa(device, "vk" #name));                 \
  if (fns->name == nullptr) {                                                           \
    return MakeError("VulkanInitializationError", "the Vulkan device has no vk" #name); \
  }
  GEYSER_VK_DEVICE_FNS(GEYSER_VK_LOAD)
#undef GEYSER_VK_LOAD
  // 1.2 names first, then the KHR spelling of the timeline calls on 1.1 devices.
#define GEYSER_VK_LOAD_OPTIONAL(name) fns->name = reinterpret_cast<PFN_vk##name>(gdpa(device, "vk" #name));
  GEYSER_VK_DEVICE_OPTIONAL_FNS(GEYSER_VK_LOAD_OPTIONAL)
#undef GEYSER_VK_LOAD_OPTIONAL
  if (fns->SignalSemaphore == nullptr)
    fns->SignalSemaphore = reinterpret_cast<PFN_vkSignalSemaphore>(gdpa(device, "vkSignalSemaphoreKHR"));
  if (fns->WaitSemaphores == nullptr)
    fns->WaitSemaphores = reinterpret_cast<PFN_vkWaitSemaphores>(gdpa(device, "vkWaitSemaphoresKHR"));
  if (fns->GetSemaphoreCounterValue == nullptr)
    fns->GetSemaphoreCounterValue =
        reinterpret_cast<PFN_vkGetSemaphoreCounterValue>(gdpa(device, "vkGetSemaphoreCounterValueKHR"));
  return Ok{};
}

}  // namespace geyser::vk
#endif  // GEYSER_WITH_VULKAN
