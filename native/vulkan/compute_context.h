// ComputeContext: runs compute dispatches on the device's queue through its CommandContext, so a
// dispatch is ordered with uploads, readbacks and submitWait/submitSignal like any other work.
// Owns the pipeline cache (keyed by a hash of the SPIR-V and the image count), one descriptor pool
// (one set per dispatch, reset before the next) and the image views of the last dispatch.
//
// Each texture follows the sharing protocol of transfer.h: acquired from VK_QUEUE_FAMILY_EXTERNAL
// in VK_IMAGE_LAYOUT_GENERAL (the layout storage images use), read/written by the shader, released
// back. Dispatch() waits for the fence, so nothing it used is in flight when it returns Ok; after a
// timeout its views and descriptor set are kept until the queue drains (never freed in use).
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <array>
#include <memory>
#include <unordered_map>
#include <vector>

#include "vulkan/compute_pipeline.h"
#include "vulkan/shared_image.h"

namespace geyser::vk {

struct DispatchParams {
  std::vector<uint32_t> spirv;
  std::vector<SharedImage*> images;  // binding i = images[i]; all on this device, no repeats
  std::vector<uint8_t> pushConstants;  // at most kMaxPushConstantBytes
  std::array<uint32_t, 3> groups{1, 1, 1};
};

class ComputeContext {
 public:
  static Result<std::unique_ptr<ComputeContext>> Create(DeviceCore& device);
  ~ComputeContext();
  ComputeContext(const ComputeContext&) = delete;
  ComputeContext& operator=(const ComputeContext&) = delete;

  // Records, submits and waits for one dispatch (thread-safe: holds the command context's lock).
  Status Dispatch(const DispatchParams& params);
  // Pipelines built so far (tests check that the cache is hit).
  size_t cachedPipelines() const { return pipelines_.size(); }

 private:
  explicit ComputeContext(DeviceCore& device) : device_(device) {}
  Result<ComputePipeline*> Pipeline(const DispatchParams& params);
  Status MakeViews(const DispatchParams& params);
  void FreeViews();

  DeviceCore& device_;
  VkDescriptorPool pool_ = VK_NULL_HANDLE;
  std::unordered_map<uint64_t, std::unique_ptr<ComputePipeline>> pipelines_;
  std::vector<VkImageView> views_;
};

}  // namespace geyser::vk

#endif
