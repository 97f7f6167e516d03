// Run-time Vulkan loading (volk-style): libvulkan.so.1 is dlopen'ed on first use, so the addon loads
// and the host backend works on machines with no Vulkan at all. Function pointers live in tables:
// one global table, one per VkInstance and one per VkDevice (device-level calls then skip the
// loader's dispatch trampoline). All code here is compiled only with GEYSER_WITH_VULKAN.
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <vulkan/vulkan.h>

#include "common/result.h"

namespace geyser::vk {

// Calls that need no instance.
struct GlobalFns {
  PFN_vkGetInstanceProcAddr GetInstanceProcAddr = nullptr;
  PFN_vkCreateInstance CreateInstance = nullptr;
  PFN_vkEnumerateInstanceVersion EnumerateInstanceVersion = nullptr;  // null on a 1.0 loader
  PFN_vkEnumerateInstanceExtensionProperties EnumerateInstanceExtensionProperties = nullptr;
};

// Opens libvulkan once per process (thread-safe); later calls return the same table or error.
Result<const GlobalFns*> LoadVulkanLibrary();

#define GEYSER_VK_INSTANCE_FNS(X)                 \
  X(DestroyInstance)                              \
  X(EnumeratePhysicalDevices)                     \
  X(GetPhysicalDeviceProperties)                  \
  X(GetPhysicalDeviceProperties2)                 \
  X(GetPhysicalDeviceFeatures2)                   \
  X(GetPhysicalDeviceQueueFamilyProperties)       \
  X(GetPhysicalDeviceMemoryProperties)            \
  X(GetPhysicalDeviceFormatProperties)            \
  X(GetPhysicalDeviceImageFormatProperties2)      \
  X(GetPhysicalDeviceExternalSemaphoreProperties) \
  X(GetPhysicalDeviceExternalFenceProperties)     \
  X(EnumerateDeviceExtensionProperties)           \
  X(CreateDevice)                                 \
  X(GetDeviceProcAddr)

struct InstanceFns {
#define GEYSER_VK_DECLARE(name) PFN_vk##name name = nullptr;
  GEYSER_VK_INSTANCE_FNS(GEYSER_VK_DECLARE)
};

// Core 1.0/1.1 device calls every device has.
#define GEYSER_VK_DEVICE_FNS(X)     \
  X(DestroyDevice)                  \
  X(GetDeviceQueue)                 \
  X(DeviceWaitIdle)                 \
  X(QueueSubmit)                    \
  X(QueueWaitIdle)                  \
  X(CreateImage)                    \
  X(DestroyImage)                   \
  X(GetImageMemoryRequirements2)    \
  X(AllocateMemory)                 \
  X(FreeMemory)                     \
  X(BindImageMemory)                \
  X(CreateBuffer)                   \
  X(DestroyBuffer)                  \
  X(GetBufferMemoryRequirements)    \
  X(BindBufferMemory)               \
  X(MapMemory)                      \
  X(UnmapMemory)                    \
  X(CreateCommandPool)              \
  X(DestroyCommandPool)             \
  X(AllocateCommandBuffers)         \
  X(ResetCommandBuffer)             \
  X(BeginCommandBuffer)             \
  X(EndCommandBuffer)               \
  X(CmdPipelineBarrier)             \
  X(CmdCopyBufferToImage)           \
  X(CmdCopyImageToBuffer)           \
  X(CreateFence)                    \
  X(DestroyFence)                   \
  X(WaitForFences)                  \
  X(ResetFences)                    \
  X(GetFenceStatus)                 \
  X(CreateSemaphore)                \
  X(DestroySemaphore)               \
  X(CreateShaderModule)             \
  X(DestroyShaderModule)            \
  X(CreateDescriptorSetLayout)      \
  X(DestroyDescriptorSetLayout)     \
  X(CreatePipelineLayout)           \
  X(DestroyPipelineLayout)          \
  X(CreateComputePipelines)         \
  X(DestroyPipeline)                \
  X(CreateDescriptorPool)           \
  X(DestroyDescriptorPool)          \
  X(ResetDescriptorPool)            \
  X(AllocateDescriptorSets)         \
  X(UpdateDescriptorSets)           \
  X(CreateImageView)                \
  X(DestroyImageView)               \
  X(CmdBindPipeline)                \
  X(CmdBindDescriptorSets)          \
  X(CmdPushConstants)               \
  X(CmdDispatch)

// Extension (or 1.2) calls: null when the device lacks them; callers check before use.
#define GEYSER_VK_DEVICE_OPTIONAL_FNS(X) \
  X(GetMemoryFdKHR)                      \
  X(GetSemaphoreFdKHR)                   \
  X(ImportSemaphoreFdKHR)                \
  X(GetFenceFdKHR)                       \
  X(ImportFenceFdKHR)                    \
  X(SignalSemaphore)                     \
  X(WaitSemaphores)                      \
  X(GetSemaphoreCounterValue)

struct DeviceFns {
  GEYSER_VK_DEVICE_FNS(GEYSER_VK_DECLARE)
  GEYSER_VK_DEVICE_OPTIONAL_FNS(GEYSER_VK_DECLARE)
};
#undef GEYSER_VK_DECLARE

// Fills `fns` for `instance`; fails naming the first missing entry point.
Status LoadInstanceFns(VkInstance instance, InstanceFns* fns);
// Fills `fns` for `device`; required calls must exist, optional ones may stay null.
Status LoadDeviceFns(const InstanceFns& instanceFns, VkDevice device, DeviceFns* fns);

}  // namespace geyser::vk

#endif  // GEYSER_WITH_VULKAN
