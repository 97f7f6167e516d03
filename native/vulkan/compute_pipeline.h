// ComputePipeline: one compute shader (SPIR-V words) made into a VkPipeline whose layout is
// `imageCount` storage images (binding i = texture i, descriptor set 0, VK_IMAGE_LAYOUT_GENERAL)
// then optionally one storage buffer at binding `imageCount`, and one push-constant range of kMaxPushConstantBytes. The range is always the full 128 bytes
// (the minimum every device guarantees), so any shader whose push block fits is valid with it and
// callers pass fewer bytes zero-padded.
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <cstdint>
#include <memory>
#include <vector>

#include "vulkan/device.h"

namespace geyser::vk {

constexpr uint32_t kMaxPushConstantBytes = 128;
// Storage images one dispatch may bind (Vulkan guarantees maxPerStageDescriptorStorageImages >= 4).
constexpr uint32_t kMaxComputeImages = 4;

class ComputePipeline {
 public:
  // Fails with InvalidDescriptor for words the driver refuses (naming `spirv`), VulkanApiError else.
  static Result<std::unique_ptr<ComputePipeline>> Create(DeviceCore& device, const std::vector<uint32_t>& words, uint32_t imageCount,
                                                         bool storageBuffer);
  ~ComputePipeline();
  ComputePipeline(const ComputePipeline&) = delete;
  ComputePipeline& operator=(const ComputePipeline&) = delete;

  VkPipeline pipeline() const { return pipeline_; }
  VkPipelineLayout layout() const { return layout_; }
  VkDescriptorSetLayout setLayout() const { return setLayout_; }
  uint32_t imageCount() const { return imageCount_; }

 private:
  ComputePipeline(DeviceCore& device, uint32_t imageCount) : device_(device), imageCount_(imageCount) {}

  DeviceCore& device_;
  uint32_t imageCount_;
  VkShaderModule module_ = VK_NULL_HANDLE;
  VkDescriptorSetLayout setLayout_ = VK_NULL_HANDLE;
  VkPipelineLayout layout_ = VK_NULL_HANDLE;
  VkPipeline pipeline_ = VK_NULL_HANDLE;
};

// FNV-1a over the words, the image count and the buffer flag: the pipeline cache's key.
uint64_t PipelineKey(const std::vector<uint32_t>& words, uint32_t imageCount, bool storageBuffer);

}  // namespace geyser::vk

#endif
