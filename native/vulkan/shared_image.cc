#ifdef GEYSER_WITH_VULKAN
#include "vulkan/shared_image.h"

#include "vulkan/command_context.h"
#include "vulkan/fd_import.h"
#include "vulkan/fd_ops.h"
#include "vulkan/transfer.h"
#include "vulkan/vk_error.h"

namespace geyser::vk {

Status SharedImage::CreateImage(VkMemoryRequirements* needs, bool* needsDedicated) {
  const PhysicalDeviceInfo& physical = device_->physical();
  auto resolved = ResolveExternalFormat(device_->instance(), physical, params_.formatIndex, params_.usageMask,
                                        params_.width, params_.height);
  if (!resolved) return resolved.error();
  format_ = resolved.value();
  VkExternalMemoryImageCreateInfo external{VK_STRUCTURE_TYPE_EXTERNAL_MEMORY_IMAGE_CREATE_INFO};
  external.handleTypes = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
  VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
  info.pNext = &external;
  info.imageType = VK_IMAGE_TYPE_2D;
  info.format = format_.format;
  info.extent = {params_.width, params_.height, 1};
  info.mipLevels = 1;
  info.arrayLayers = 1;
  info.samples = VK_SAMPLE_COUNT_1_BIT;
  info.tiling = VK_IMAGE_TILING_OPTIMAL;
  info.usage = format_.usage;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  info.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
  const DeviceFns& fns = device_->fns();
  Status status = Check(fns.CreateImage(device_->handle(), &info, nullptr, &image_), "vkCreateImage");
  if (!status) {
    image_ = VK_NULL_HANDLE;
    return status;
  }
  VkMemoryDedicatedRequirements dedicated{VK_STRUCTURE_TYPE_MEMORY_DEDICATED_REQUIREMENTS};
  VkMemoryRequirements2 requirements{VK_STRUCTURE_TYPE_MEMORY_REQUIREMENTS_2};
  requirements.pNext = &dedicated;
  VkImageMemoryRequirementsInfo2 which{VK_STRUCTURE_TYPE_IMAGE_MEMORY_REQUIREMENTS_INFO_2};
  which.image = image_;
  fns.GetImageMemoryRequirements2(device_->handle(), &which, &requirements);
  *needs = requirements.memoryRequirements;
  *needsDedicated = dedicated.requiresDedicatedAllocation == VK_TRUE || format_.dedicatedOnly;
  return Ok{};
}

Result<std::unique_ptr<SharedImage>> SharedImage::Create(std::shared_ptr<DeviceCore> device, const ImageParams& params) {
  std::unique_ptr<SharedImage> shared(new SharedImage(std::move(device), params));
  DeviceCore& core = *shared->device_;
  VkMemoryRequirements needs{};
  bool needsDedicated = false;
  Status status = shared->CreateImage(&needs, &needsDedicated);
  if (!status) return status.error();
  // Device-local first (fast on a GPU); any allowed type otherwise (lavapipe has one heap).
  auto type = FindMemoryType(core.physical().memory, needs.memoryTypeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
  if (!type) type = FindMemoryType(core.physical().memory, needs.memoryTypeBits, 0);
  if (!type) return MakeError("VulkanApiError", "no memory type can hold the image (memoryTypeBits 0)");
  // Always dedicated: the importer must then match, and several drivers require it for export.
  VkMemoryDedicatedAllocateInfo dedicated{VK_STRUCTURE_TYPE_MEMORY_DEDICATED_ALLOCATE_INFO};
  dedicated.image = shared->image_;
  VkExportMemoryAllocateInfo exportInfo{VK_STRUCTURE_TYPE_EXPORT_MEMORY_ALLOCATE_INFO};
  exportInfo.pNext = &dedicated;
  exportInfo.handleTypes = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
  VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  alloc.pNext = &exportInfo;
  alloc.allocationSize = needs.size;
  alloc.memoryTypeIndex = *type;
  status = Check(core.fns().AllocateMemory(core.handle(), &alloc, nullptr, &shared->memory_), "vkAllocateMemory (exportable)");
  if (!status) {
    shared->memory_ = VK_NULL_HANDLE;
    return status.error();
  }
  core.CountAllocation(1);
  shared->size_ = needs.size;
  shared->memoryTypeIndex_ = *type;
  shared->dedicated_ = true;
  status = Check(core.fns().BindImageMemory(core.handle(), shared->image_, shared->memory_, 0), "vkBindImageMemory");
  if (!status) return status.error();
  // Defined contents and layout before anyone imports it: UNDEFINED -> GENERAL, released to external.
  status = PrepareForSharing(*shared);
  if (!status) return status.error();
  return shared;
}

Result<std::unique_ptr<SharedImage>> SharedImage::Import(std::shared_ptr<DeviceCore> device, const ImageParams& params,
                                                         const ImportParams& import) {
  Status status = CheckImportableMemoryFd(import.fd);
  if (!status) return status.error();
  std::unique_ptr<SharedImage> shared(new SharedImage(std::move(device), params));
  DeviceCore& core = *shared->device_;
  VkMemoryRequirements needs{};
  bool needsDedicated = false;
  status = shared->CreateImage(&needs, &needsDedicated);
  if (!status) return status.error();
  // Checked before the driver sees the fd: a wrong size or memory type is undefined behaviour there.
  if (import.size < needs.size) {
    return MakeError("InvalidTextureHandle", "handle.size " + std::to_string(import.size) + " is smaller than the " +
                                                 std::to_string(needs.size) + " bytes this image needs");
  }
  const VkPhysicalDeviceMemoryProperties& memory = core.physical().memory;
  if (import.memoryTypeIndex >= memory.memoryTypeCount) {
    return MakeError("InvalidTextureHandle", "handle.memoryTypeIndex " + std::to_string(import.memoryTypeIndex) +
                                                 " does not exist (the device has " + std::to_string(memory.memoryTypeCount) +
                                                 " memory types)");
  }
  if (!(needs.memoryTypeBits & (1u << import.memoryTypeIndex))) {
    return MakeError("InvalidTextureHandle", "handle.memoryTypeIndex " + std::to_string(import.memoryTypeIndex) +
                                                 " is not allowed for this image (allowed memoryTypeBits " +
                                                 std::to_string(needs.memoryTypeBits) + ")");
  }
  if (needsDedicated && !import.dedicated) {
    return MakeError("InvalidTextureHandle", "handle.dedicatedAllocation is false but the driver requires a dedicated allocation");
  }
  // A foreign fd never reaches the driver (some drivers stop working after refusing one).
  std::string foreign = core.CheckOpaqueFd(import.fd);
  if (!foreign.empty()) return MakeError("InvalidTextureHandle", "texture handle: " + foreign);
  VkMemoryDedicatedAllocateInfo dedicated{VK_STRUCTURE_TYPE_MEMORY_DEDICATED_ALLOCATE_INFO};
  dedicated.image = shared->image_;
  VkImportMemoryFdInfoKHR importInfo{VK_STRUCTURE_TYPE_IMPORT_MEMORY_FD_INFO_KHR};
  importInfo.pNext = import.dedicated ? &dedicated : nullptr;
  importInfo.handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
  VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  alloc.pNext = &importInfo;
  alloc.allocationSize = import.size;
  alloc.memoryTypeIndex = import.memoryTypeIndex;
  status = ImportDuplicate(
      import.fd, "vkAllocateMemory import",
      [&](int duplicate) {
        importInfo.fd = duplicate;
        VkResult result = core.fns().AllocateMemory(core.handle(), &alloc, nullptr, &shared->memory_);
        if (result != VK_SUCCESS) {
          shared->memory_ = VK_NULL_HANDLE;
          return result;
        }
        core.CountAllocation(1);
        shared->size_ = import.size;
        shared->memoryTypeIndex_ = import.memoryTypeIndex;
        shared->dedicated_ = import.dedicated;
        return VK_SUCCESS;
      },
      [&]() { return Check(core.fns().BindImageMemory(core.handle(), shared->image_, shared->memory_, 0), "vkBindImageMemory (imported)"); });
  if (!status) return status.error();
  return shared;
}

SharedImage::~SharedImage() {
  DeviceCore& core = *device_;
  if (image_ != VK_NULL_HANDLE || memory_ != VK_NULL_HANDLE) {
    // A timed-out transfer may still use the image: wait for it before freeing. If it is stuck
    // (waiting on a semaphore nobody signals), leaking beats freeing memory the GPU may touch.
    auto lock = core.commands().Lock();
    if (!core.commands().Drain(kDestroyWaitNs)) return;
  }
  if (image_ != VK_NULL_HANDLE) core.fns().DestroyImage(core.handle(), image_, nullptr);
  if (memory_ != VK_NULL_HANDLE) {
    core.fns().FreeMemory(core.handle(), memory_, nullptr);
    core.CountAllocation(-1);
  }
}

Result<int> SharedImage::ExportFd() const {
  VkMemoryGetFdInfoKHR info{VK_STRUCTURE_TYPE_MEMORY_GET_FD_INFO_KHR};
  info.memory = memory_;
  info.handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
  int fd = -1;
  Status status = Check(device_->fns().GetMemoryFdKHR(device_->handle(), &info, &fd), "vkGetMemoryFdKHR");
  if (!status) return status.error();
  SetCloseOnExec(fd);
  return fd;
}

}  // namespace geyser::vk
#endif
