// SharedImage: a VkImage bound to a dedicated allocation of external (opaque fd) memory, either
// created here for export or imported from another process's fd.
//
// Ownership of the fd (the addon-wide rule of common/unique_fd.h, spelled out for Vulkan):
//   * Import() consumes `fd` only on success: Vulkan owns it from then on and closes it when the
//     memory is freed. On failure (any error, including a VkResult from vkAllocateMemory) the
//     caller still owns `fd` and must close it; nothing here closes it.
//   * ExportFd() returns a new fd (close-on-exec) that the caller owns.
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <memory>

#include "vulkan/device.h"
#include "vulkan/format_table.h"

namespace geyser::vk {

struct ImageParams {
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t formatIndex = 0;
  uint32_t usageMask = 0;
};

struct ImportParams {
  int fd = -1;
  uint64_t size = 0;             // the exporter's allocation size
  uint32_t memoryTypeIndex = 0;  // the exporter's memory type
  bool dedicated = true;         // the exporter used a dedicated allocation
};

class SharedImage {
 public:
  static Result<std::unique_ptr<SharedImage>> Create(std::shared_ptr<DeviceCore> device, const ImageParams& params);
  static Result<std::unique_ptr<SharedImage>> Import(std::shared_ptr<DeviceCore> device, const ImageParams& params,
                                                     const ImportParams& import);
  ~SharedImage();
  SharedImage(const SharedImage&) = delete;
  SharedImage& operator=(const SharedImage&) = delete;

  // A new opaque fd for the memory (vkGetMemoryFdKHR); the caller owns it.
  Result<int> ExportFd() const;

  VkImage image() const { return image_; }
  const ResolvedFormat& format() const { return format_; }
  uint32_t width() const { return params_.width; }
  uint32_t height() const { return params_.height; }
  VkDeviceSize size() const { return size_; }
  uint32_t memoryTypeIndex() const { return memoryTypeIndex_; }
  bool dedicated() const { return dedicated_; }
  DeviceCore& device() const { return *device_; }

 private:
  SharedImage(std::shared_ptr<DeviceCore> device, const ImageParams& params) : device_(std::move(device)), params_(params) {}
  // Creates the VkImage (external memory info chained) and reads its memory requirements.
  Status CreateImage(VkMemoryRequirements* needs, bool* needsDedicated);

  std::shared_ptr<DeviceCore> device_;
  ImageParams params_;
  ResolvedFormat format_;
  VkImage image_ = VK_NULL_HANDLE;
  VkDeviceMemory memory_ = VK_NULL_HANDLE;
  VkDeviceSize size_ = 0;
  uint32_t memoryTypeIndex_ = 0;
  bool dedicated_ = true;
};

}  // namespace geyser::vk

#endif
