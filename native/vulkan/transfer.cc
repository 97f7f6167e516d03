#ifdef GEYSER_WITH_VULKAN
#include "vulkan/transfer.h"

#include <cstring>

#include "vulkan/command_context.h"

namespace geyser::vk {
namespace {

struct Barrier {
  VkImageLayout from;
  VkImageLayout to;
  uint32_t srcFamily;
  uint32_t dstFamily;
  VkPipelineStageFlags srcStage;
  VkAccessFlags srcAccess;
  VkPipelineStageFlags dstStage;
  VkAccessFlags dstAccess;
};

void Record(const SharedImage& image, VkCommandBuffer commands, const Barrier& b) {
  VkImageMemoryBarrier barrier{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
  barrier.srcAccessMask = b.srcAccess;
  barrier.dstAccessMask = b.dstAccess;
  barrier.oldLayout = b.from;
  barrier.newLayout = b.to;
  barrier.srcQueueFamilyIndex = b.srcFamily;
  barrier.dstQueueFamilyIndex = b.dstFamily;
  barrier.image = image.image();
  barrier.subresourceRange = {image.format().aspect, 0, 1, 0, 1};
  image.device().fns().CmdPipelineBarrier(commands, b.srcStage, b.dstStage, 0, 0, nullptr, 0, nullptr, 1, &barrier);
}

// Acquire from external (same layout on both sides of the ownership transfer, as the spec asks),
// then move to the transfer layout.
void AcquireForTransfer(const SharedImage& image, VkCommandBuffer commands, VkImageLayout transferLayout, VkAccessFlags access) {
  uint32_t family = image.device().queueFamily();
  Record(image, commands, {VK_IMAGE_LAYOUT_GENERAL, VK_IMAGE_LAYOUT_GENERAL, VK_QUEUE_FAMILY_EXTERNAL, family,
                           VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, 0, VK_PIPELINE_STAGE_TRANSFER_BIT, access});
  Record(image, commands, {VK_IMAGE_LAYOUT_GENERAL, transferLayout, VK_QUEUE_FAMILY_IGNORED, VK_QUEUE_FAMILY_IGNORED,
                           VK_PIPELINE_STAGE_TRANSFER_BIT, access, VK_PIPELINE_STAGE_TRANSFER_BIT, access});
}

// Back to GENERAL, then release to external after our transfer's accesses.
void ReleaseAfterTransfer(const SharedImage& image, VkCommandBuffer commands, VkImageLayout transferLayout, VkAccessFlags access) {
  uint32_t family = image.device().queueFamily();
  Record(image, commands, {transferLayout, VK_IMAGE_LAYOUT_GENERAL, VK_QUEUE_FAMILY_IGNORED, VK_QUEUE_FAMILY_IGNORED,
                           VK_PIPELINE_STAGE_TRANSFER_BIT, access, VK_PIPELINE_STAGE_TRANSFER_BIT, access});
  Record(image, commands, {VK_IMAGE_LAYOUT_GENERAL, VK_IMAGE_LAYOUT_GENERAL, family, VK_QUEUE_FAMILY_EXTERNAL,
                           VK_PIPELINE_STAGE_TRANSFER_BIT, access, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, 0});
}

VkBufferImageCopy CopyRegion(const SharedImage& image) {
  VkBufferImageCopy region{};
  region.bufferOffset = 0;
  region.bufferRowLength = 0;  // tightly packed
  region.bufferImageHeight = 0;
  // Copies address one aspect; depth formats copy their depth aspect (depth32float only).
  VkImageAspectFlags aspect = image.format().aspect;
  region.imageSubresource = {(aspect & VK_IMAGE_ASPECT_DEPTH_BIT) ? VkImageAspectFlags(VK_IMAGE_ASPECT_DEPTH_BIT) : aspect, 0, 0, 1};
  region.imageExtent = {image.width(), image.height(), 1};
  return region;
}

Status CheckSize(const SharedImage& image, size_t bytes) {
  size_t expected = size_t(image.width()) * image.height() * image.format().texelBytes;
  if (bytes != expected) {
    return MakeError("InvalidDescriptor", "expected " + std::to_string(expected) + " bytes of tightly packed rows but received " +
                                              std::to_string(bytes));
  }
  return Ok{};
}

}  // namespace

Status PrepareForSharing(SharedImage& image) {
  CommandContext& context = image.device().commands();
  auto lock = context.Lock();
  uint32_t family = image.device().queueFamily();
  return context.Run(
      [&](VkCommandBuffer commands) {
        Record(image, commands, {VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_GENERAL, family, VK_QUEUE_FAMILY_EXTERNAL,
                                 VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, 0, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, 0});
      },
      "initial layout transition", kTransferTimeoutNs);
}

Status WriteImage(SharedImage& image, const uint8_t* data, size_t bytes) {
  Status status = CheckSize(image, bytes);
  if (!status) return status;
  CommandContext& context = image.device().commands();
  auto lock = context.Lock();
  VkBuffer staging = VK_NULL_HANDLE;
  auto mapped = context.Staging(bytes, &staging);
  if (!mapped) return mapped.error();
  // The staging buffer is coherent; vkQueueSubmit makes these host writes visible to the copy.
  std::memcpy(mapped.value(), data, bytes);
  VkBufferImageCopy region = CopyRegion(image);
  const VkAccessFlags write = VK_ACCESS_TRANSFER_WRITE_BIT;
  return context.Run(
      [&](VkCommandBuffer commands) {
        AcquireForTransfer(image, commands, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, write);
        image.device().fns().CmdCopyBufferToImage(commands, staging, image.image(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region);
        ReleaseAfterTransfer(image, commands, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, write);
      },
      "texture upload", kTransferTimeoutNs);
}

Status ReadImage(SharedImage& image, uint8_t* out, size_t bytes) {
  Status status = CheckSize(image, bytes);
  if (!status) return status;
  CommandContext& context = image.device().commands();
  auto lock = context.Lock();
  VkBuffer staging = VK_NULL_HANDLE;
  auto mapped = context.Staging(bytes, &staging);
  if (!mapped) return mapped.error();
  VkBufferImageCopy region = CopyRegion(image);
  const VkAccessFlags read = VK_ACCESS_TRANSFER_READ_BIT;
  status = context.Run(
      [&](VkCommandBuffer commands) {
        const DeviceFns& fns = image.device().fns();
        AcquireForTransfer(image, commands, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, read);
        fns.CmdCopyImageToBuffer(commands, image.image(), VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, staging, 1, &region);
        ReleaseAfterTransfer(image, commands, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, read);
        // Make the copy's writes to the staging buffer visible to the host after the fence.
        VkMemoryBarrier toHost{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
        toHost.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
        toHost.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
        fns.CmdPipelineBarrier(commands, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &toHost, 0, nullptr, 0, nullptr);
      },
      "texture readback", kTransferTimeoutNs);
  if (!status) return status;
  std::memcpy(out, mapped.value(), bytes);
  return Ok{};
}

}  // namespace geyser::vk
#endif
