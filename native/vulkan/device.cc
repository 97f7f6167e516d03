#ifdef GEYSER_WITH_VULKAN
#include "vulkan/device.h"

#include <vector>

#include "vulkan/command_context.h"
#include "vulkan/compute_context.h"
#include "vulkan/fd_ops.h"
#include "vulkan/vk_error.h"

namespace geyser::vk {

DeviceCore::DeviceCore(std::shared_ptr<InstanceCore> instance, PhysicalDeviceInfo physical, bool owned)
    : instance_(std::move(instance)), physical_(std::move(physical)), owned_(owned) {}

Result<std::shared_ptr<DeviceCore>> DeviceCore::Create(std::shared_ptr<InstanceCore> instance, PhysicalDeviceInfo physical) {
  if (!physical.rejectReason.empty()) {
    return MakeError("VulkanInitializationError", physical.label() + ": " + physical.rejectReason);
  }
  std::shared_ptr<DeviceCore> core(new DeviceCore(std::move(instance), std::move(physical), true));
  const PhysicalDeviceInfo& info = core->physical_;
  core->queueFamily_ = *info.queueFamily;

  std::vector<const char*> extensions = {VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME};
  core->enabled_.memoryFd = true;
  if (info.has(VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME)) {
    extensions.push_back(VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME);
    core->enabled_.semaphoreFd = true;
  }
  if (info.has(VK_KHR_EXTERNAL_FENCE_FD_EXTENSION_NAME)) {
    extensions.push_back(VK_KHR_EXTERNAL_FENCE_FD_EXTENSION_NAME);
    core->enabled_.fenceFd = true;
  }
  float priority = 1.0f;
  VkDeviceQueueCreateInfo queue{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
  queue.queueFamilyIndex = core->queueFamily_;
  queue.queueCount = 1;
  queue.pQueuePriorities = &priority;
  VkPhysicalDeviceTimelineSemaphoreFeatures timeline{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES};
  timeline.timelineSemaphore = info.timelineFeature ? VK_TRUE : VK_FALSE;
  VkPhysicalDeviceFeatures core10{};
  core10.shaderStorageImageExtendedFormats = info.storageExtendedFormats ? VK_TRUE : VK_FALSE;
  core10.shaderStorageImageWriteWithoutFormat = info.storageWriteWithoutFormat ? VK_TRUE : VK_FALSE;
  VkDeviceCreateInfo create{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
  if (info.timelineFeature) create.pNext = &timeline;  // 1.2 core: no extension to enable
  create.pEnabledFeatures = &core10;
  create.queueCreateInfoCount = 1;
  create.pQueueCreateInfos = &queue;
  create.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
  create.ppEnabledExtensionNames = extensions.data();
  VkResult result = core->instance_->fns().CreateDevice(info.handle, &create, nullptr, &core->device_);
  if (result != VK_SUCCESS) {
    core->device_ = VK_NULL_HANDLE;
    return ApiError("vkCreateDevice on " + info.label(), result, "VulkanInitializationError");
  }
  core->enabled_.timeline = info.timelineFeature;
  Status finished = core->Finish(0);
  if (!finished) return finished.error();
  return core;
}

Result<std::shared_ptr<DeviceCore>> DeviceCore::Borrow(std::shared_ptr<InstanceCore> instance, PhysicalDeviceInfo physical,
                                                       VkDevice device, uint32_t queueFamily, uint32_t queueIndex) {
  if (device == VK_NULL_HANDLE) return MakeError("InvalidDescriptor", "existing.device is a null handle");
  std::shared_ptr<DeviceCore> core(new DeviceCore(std::move(instance), std::move(physical), false));
  core->device_ = device;
  core->queueFamily_ = queueFamily;
  Status finished = core->Finish(queueIndex);
  if (!finished) return finished.error();
  // The application chose the extensions; an extension's entry points exist only if it was enabled.
  core->enabled_.memoryFd = core->fns_.GetMemoryFdKHR != nullptr;
  core->enabled_.semaphoreFd = core->fns_.GetSemaphoreFdKHR != nullptr && core->fns_.ImportSemaphoreFdKHR != nullptr;
  core->enabled_.fenceFd = core->fns_.GetFenceFdKHR != nullptr && core->fns_.ImportFenceFdKHR != nullptr;
  core->enabled_.timeline = core->physical_.timelineFeature && core->fns_.SignalSemaphore != nullptr;
  if (!core->enabled_.memoryFd) {
    return MakeError("VulkanInitializationError",
                     "the existing device was created without " VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME);
  }
  return core;
}

Status DeviceCore::Finish(uint32_t queueIndex) {
  Status loaded = LoadDeviceFns(instance_->fns(), device_, &fns_);
  if (!loaded) return loaded;
  fns_.GetDeviceQueue(device_, queueFamily_, queueIndex, &queue_);
  if (queue_ == VK_NULL_HANDLE) {
    return MakeError("VulkanInitializationError", "the device has no queue " + std::to_string(queueIndex) +
                                                      " in family " + std::to_string(queueFamily_));
  }
  auto commands = CommandContext::Create(*this);
  if (!commands) return commands.error();
  commands_ = commands.take();
  return Ok{};
}

DeviceCore::~DeviceCore() {
  if (device_ == VK_NULL_HANDLE || fns_.DeviceWaitIdle == nullptr) return;
  // Nothing is destroyed while the GPU may still use it.
  if (owned_) {
    fns_.DeviceWaitIdle(device_);
  } else {
    WaitQueueIdle();
  }
  compute_.reset();  // its pipelines and descriptor pool, before the command pool and the device
  commands_.reset();
  if (owned_) fns_.DestroyDevice(device_, nullptr);
}

Status DeviceCore::Submit(uint32_t count, const VkSubmitInfo* submits, VkFence fence, const char* what) {
  std::lock_guard<std::mutex> lock(queueMutex_);
  return Check(fns_.QueueSubmit(queue_, count, submits, fence), std::string("vkQueueSubmit (") + what + ")");
}

Result<ComputeContext*> DeviceCore::Compute() {
  std::lock_guard<std::mutex> lock(computeMutex_);
  if (!compute_) {
    auto created = ComputeContext::Create(*this);
    if (!created) return created.error();
    compute_ = created.take();
  }
  return compute_.get();
}

Status DeviceCore::WaitQueueIdle() {
  std::lock_guard<std::mutex> lock(queueMutex_);
  return Check(fns_.QueueWaitIdle(queue_), "vkQueueWaitIdle");
}

const FdSignature* DeviceCore::OpaqueFdSignature() {
  std::lock_guard<std::mutex> lock(signatureMutex_);
  if (signatureProbed_) return opaqueSignature_ ? &*opaqueSignature_ : nullptr;
  signatureProbed_ = true;
  if (!enabled_.memoryFd || fns_.GetMemoryFdKHR == nullptr) return nullptr;
  uint32_t typeIndex = 0;
  for (uint32_t i = 0; i < physical_.memory.memoryTypeCount; ++i) {
    if (physical_.memory.memoryTypes[i].propertyFlags & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT) {
      typeIndex = i;
      break;
    }
  }
  VkExportMemoryAllocateInfo exportInfo{VK_STRUCTURE_TYPE_EXPORT_MEMORY_ALLOCATE_INFO};
  exportInfo.handleTypes = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
  VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  alloc.pNext = &exportInfo;
  alloc.allocationSize = 4096;
  alloc.memoryTypeIndex = typeIndex;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  if (fns_.AllocateMemory(device_, &alloc, nullptr, &memory) != VK_SUCCESS) return nullptr;
  VkMemoryGetFdInfoKHR get{VK_STRUCTURE_TYPE_MEMORY_GET_FD_INFO_KHR};
  get.memory = memory;
  get.handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
  int fd = -1;
  if (fns_.GetMemoryFdKHR(device_, &get, &fd) == VK_SUCCESS && fd >= 0) {
    Result<FdSignature> signature = ReadFdSignature(fd);
    if (signature) opaqueSignature_ = signature.take();
    CloseFd(fd);
  }
  fns_.FreeMemory(device_, memory, nullptr);
  return opaqueSignature_ ? &*opaqueSignature_ : nullptr;
}

std::string DeviceCore::CheckOpaqueFd(int fd) {
  const FdSignature* expected = OpaqueFdSignature();
  return expected == nullptr ? std::string() : SignatureMismatch(*expected, fd);
}

}  // namespace geyser::vk
#endif
