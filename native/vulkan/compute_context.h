// ComputeContext: runs compute dispatches on the device's queue through its CommandContext, so a
// dispatch is ordered with uploads, readbacks and submitWait/submitSignal like any other work.
// A dispatch is 1 to kMaxComputePasses passes (shader, push constants, work groups) recorded into one
// submission over the same bindings, with a compute-to-compute memory barrier between passes, so a
// later pass reads what an earlier one wrote (images and buffer alike) without a fence in between.
// Owns the pipeline cache (keyed by a hash of the SPIR-V and the bindings), one descriptor pool
// (one set per dispatch, reset before the next), the image views of the last dispatch, and one
// host-visible storage buffer (grown on demand) for dispatches that exchange bytes with the host:
// filled from DispatchParams::buffer before the dispatch, copied back into it after.
//
// Each texture follows the sharing protocol of transfer.h: acquired from VK_QUEUE_FAMILY_EXTERNAL
// in VK_IMAGE_LAYOUT_GENERAL (the layout storage images use), read/written by the shader, released
// back. Dispatch() waits for the fence, so nothing it used is in flight when it returns Ok; after a
// timeout its views and descriptor set are kept until the queue drains (never freed in use).
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <array>
#include <condition_variable>
#include <mutex>
#include <memory>
#include <unordered_map>
#include <vector>

#include "vulkan/compute_pipeline.h"
#include "vulkan/shared_image.h"

namespace geyser::vk {

// Passes one dispatch may chain in one submission.
constexpr size_t kMaxComputePasses = 8;

struct ComputePass {
  std::vector<uint32_t> spirv;
  std::vector<uint8_t> pushConstants;  // at most kMaxPushConstantBytes
  std::array<uint32_t, 3> groups{1, 1, 1};
};

struct DispatchParams {
  std::vector<ComputePass> passes;  // 1 to kMaxComputePasses, run in order, all over the bindings below
  std::vector<std::shared_ptr<SharedImage>> images;  // binding i = images[i]; this device, no repeats
  bool hasBuffer = false;       // bind `buffer` as a storage buffer at binding images.size()
  std::vector<uint8_t> buffer;  // in: the buffer's initial bytes; out: what the shader left there
};

class ComputeContext {
 public:
  static Result<std::unique_ptr<ComputeContext>> Create(DeviceCore& device);
  ~ComputeContext();
  ComputeContext(const ComputeContext&) = delete;
  ComputeContext& operator=(const ComputeContext&) = delete;

  // Dispatches run in the order their tickets were taken (on the JS thread, when each call was
  // made), whichever thread runs them: an asynchronous dispatch queued before another runs first.
  // Every ticket taken must be passed to Dispatch exactly once, or later ones wait forever.
  uint64_t TakeTicket();
  // Waits for `ticket`'s turn, then records, submits and waits for one dispatch (thread-safe:
  // holds the command context's lock while it runs).
  Status Dispatch(DispatchParams& params, uint64_t ticket);
  // Pipelines built so far (tests check that the cache is hit).
  size_t cachedPipelines() const { return pipelines_.size(); }

 private:
  explicit ComputeContext(DeviceCore& device) : device_(device) {}
  Result<ComputePipeline*> Pipeline(const std::vector<uint32_t>& spirv, const DispatchParams& params);
  // The pipeline of each pass, built or found in the cache.
  Result<std::vector<ComputePipeline*>> Pipelines(const DispatchParams& params);
  Status DispatchInTurn(DispatchParams& params);
  Status MakeViews(const DispatchParams& params);
  void FreeViews();
  // A mapped, coherent storage buffer of at least `bytes` (the queue is drained when called).
  Status EnsureBuffer(VkDeviceSize bytes);
  void FreeBuffer();

  DeviceCore& device_;
  VkDescriptorPool pool_ = VK_NULL_HANDLE;
  std::unordered_map<uint64_t, std::unique_ptr<ComputePipeline>> pipelines_;
  std::vector<VkImageView> views_;
  std::mutex orderMutex_;
  std::condition_variable turn_;
  uint64_t nextTicket_ = 0;
  uint64_t serving_ = 0;
  VkBuffer buffer_ = VK_NULL_HANDLE;
  VkDeviceMemory bufferMemory_ = VK_NULL_HANDLE;
  uint8_t* bufferMapped_ = nullptr;
  VkDeviceSize bufferCapacity_ = 0;
};

}  // namespace geyser::vk

#endif
