#ifdef GEYSER_WITH_VULKAN
#include "vulkan/compute_context.h"

#include <cstring>

#include "vulkan/command_context.h"
#include "vulkan/transfer.h"
#include "vulkan/vk_error.h"

namespace geyser::vk {
namespace {

// More distinct shaders than this and the cache starts over (a leak guard for generated shaders).
constexpr size_t kMaxCachedPipelines = 64;

constexpr VkAccessFlags kShaderAccess = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT;

// Queue-family ownership transfer between external and our family, staying in GENERAL.
void Ownership(const SharedImage& image, VkCommandBuffer commands, bool acquire) {
  uint32_t family = image.device().queueFamily();
  VkImageMemoryBarrier barrier{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
  barrier.srcAccessMask = acquire ? 0 : kShaderAccess;
  barrier.dstAccessMask = acquire ? kShaderAccess : 0;
  barrier.oldLayout = VK_IMAGE_LAYOUT_GENERAL;
  barrier.newLayout = VK_IMAGE_LAYOUT_GENERAL;
  barrier.srcQueueFamilyIndex = acquire ? VK_QUEUE_FAMILY_EXTERNAL : family;
  barrier.dstQueueFamilyIndex = acquire ? family : VK_QUEUE_FAMILY_EXTERNAL;
  barrier.image = image.image();
  barrier.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
  VkPipelineStageFlags src = acquire ? VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT : VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT;
  VkPipelineStageFlags dst = acquire ? VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT : VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT;
  image.device().fns().CmdPipelineBarrier(commands, src, dst, 0, 0, nullptr, 0, nullptr, 1, &barrier);
}

}  // namespace

Result<std::unique_ptr<ComputeContext>> ComputeContext::Create(DeviceCore& device) {
  std::unique_ptr<ComputeContext> context(new ComputeContext(device));
  VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, kMaxComputeImages};
  VkDescriptorPoolCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  info.maxSets = 1;
  info.poolSizeCount = 1;
  info.pPoolSizes = &size;
  Status status = Check(device.fns().CreateDescriptorPool(device.handle(), &info, nullptr, &context->pool_), "vkCreateDescriptorPool");
  if (!status) return status.error();
  return context;
}

ComputeContext::~ComputeContext() {
  // The device waited idle before destroying us.
  FreeViews();
  pipelines_.clear();
  if (pool_ != VK_NULL_HANDLE) device_.fns().DestroyDescriptorPool(device_.handle(), pool_, nullptr);
}

void ComputeContext::FreeViews() {
  for (VkImageView view : views_) device_.fns().DestroyImageView(device_.handle(), view, nullptr);
  views_.clear();
}

Result<ComputePipeline*> ComputeContext::Pipeline(const DispatchParams& params) {
  uint32_t count = static_cast<uint32_t>(params.images.size());
  uint64_t key = PipelineKey(params.spirv, count);
  auto found = pipelines_.find(key);
  if (found != pipelines_.end()) return found->second.get();
  if (pipelines_.size() >= kMaxCachedPipelines) pipelines_.clear();  // the queue is drained: none in use
  auto made = ComputePipeline::Create(device_, params.spirv, count);
  if (!made) return made.error();
  ComputePipeline* pipeline = made.value().get();
  pipelines_.emplace(key, made.take());
  return pipeline;
}

Status ComputeContext::MakeViews(const DispatchParams& params) {
  const DeviceFns& fns = device_.fns();
  for (size_t i = 0; i < params.images.size(); ++i) {
    const SharedImage& image = *params.images[i];
    if ((image.format().usage & VK_IMAGE_USAGE_STORAGE_BIT) == 0) {
      return MakeError("OperationNotSupported", "textures[" + std::to_string(i) + "] was created without storage-binding usage");
    }
    VkImageViewCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
    info.image = image.image();
    info.viewType = VK_IMAGE_VIEW_TYPE_2D;
    info.format = image.format().format;
    info.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
    VkImageView view = VK_NULL_HANDLE;
    Status status = Check(fns.CreateImageView(device_.handle(), &info, nullptr, &view), "vkCreateImageView (textures[" + std::to_string(i) + "])");
    if (!status) return status;
    views_.push_back(view);
  }
  return Ok{};
}

Status ComputeContext::Dispatch(const DispatchParams& params) {
  if (params.images.empty() || params.images.size() > kMaxComputeImages) {
    return MakeError("InvalidDescriptor", "a dispatch binds 1 to " + std::to_string(kMaxComputeImages) + " textures");
  }
  if (params.pushConstants.size() > kMaxPushConstantBytes) {
    return MakeError("InvalidDescriptor", "pushConstants is larger than " + std::to_string(kMaxPushConstantBytes) + " bytes");
  }
  CommandContext& commands = device_.commands();
  auto lock = commands.Lock();
  // The previous dispatch (or a timed-out one) must be done before its views and set are reused.
  Status status = commands.Drain(kTransferTimeoutNs);
  if (!status) return status;
  FreeViews();
  const DeviceFns& fns = device_.fns();
  status = Check(fns.ResetDescriptorPool(device_.handle(), pool_, 0), "vkResetDescriptorPool");
  if (!status) return status;
  auto pipeline = Pipeline(params);
  if (!pipeline) return pipeline.error();
  status = MakeViews(params);
  if (!status) {
    FreeViews();
    return status;
  }

  VkDescriptorSetLayout setLayout = pipeline.value()->setLayout();
  VkDescriptorSetAllocateInfo alloc{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
  alloc.descriptorPool = pool_;
  alloc.descriptorSetCount = 1;
  alloc.pSetLayouts = &setLayout;
  VkDescriptorSet set = VK_NULL_HANDLE;
  status = Check(fns.AllocateDescriptorSets(device_.handle(), &alloc, &set), "vkAllocateDescriptorSets");
  if (!status) {
    FreeViews();
    return status;
  }
  std::vector<VkDescriptorImageInfo> infos(views_.size());
  std::vector<VkWriteDescriptorSet> writes(views_.size());
  for (size_t i = 0; i < views_.size(); ++i) {
    infos[i] = {VK_NULL_HANDLE, views_[i], VK_IMAGE_LAYOUT_GENERAL};
    writes[i] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
    writes[i].dstSet = set;
    writes[i].dstBinding = static_cast<uint32_t>(i);
    writes[i].descriptorCount = 1;
    writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_IMAGE;
    writes[i].pImageInfo = &infos[i];
  }
  fns.UpdateDescriptorSets(device_.handle(), static_cast<uint32_t>(writes.size()), writes.data(), 0, nullptr);

  // Zero-padded to the layout's full range, so a shader reading past the caller's bytes sees 0.
  uint8_t push[kMaxPushConstantBytes] = {};
  if (!params.pushConstants.empty()) std::memcpy(push, params.pushConstants.data(), params.pushConstants.size());
  ComputePipeline& chosen = *pipeline.value();
  status = commands.Run(
      [&](VkCommandBuffer buffer) {
        for (SharedImage* image : params.images) Ownership(*image, buffer, true);
        fns.CmdBindPipeline(buffer, VK_PIPELINE_BIND_POINT_COMPUTE, chosen.pipeline());
        fns.CmdBindDescriptorSets(buffer, VK_PIPELINE_BIND_POINT_COMPUTE, chosen.layout(), 0, 1, &set, 0, nullptr);
        fns.CmdPushConstants(buffer, chosen.layout(), VK_SHADER_STAGE_COMPUTE_BIT, 0, kMaxPushConstantBytes, push);
        fns.CmdDispatch(buffer, params.groups[0], params.groups[1], params.groups[2]);
        for (SharedImage* image : params.images) Ownership(*image, buffer, false);
      },
      "compute dispatch", kTransferTimeoutNs);
  // On success nothing is in flight; after a timeout the views wait for the next Drain.
  if (status) FreeViews();
  return status;
}

}  // namespace geyser::vk
#endif
