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
  VkDescriptorPoolSize sizes[] = {{VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, kMaxComputeImages}, {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1}};
  VkDescriptorPoolCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  info.maxSets = 1;
  info.poolSizeCount = 2;
  info.pPoolSizes = sizes;
  Status status = Check(device.fns().CreateDescriptorPool(device.handle(), &info, nullptr, &context->pool_), "vkCreateDescriptorPool");
  if (!status) return status.error();
  return context;
}

ComputeContext::~ComputeContext() {
  // The device waited idle before destroying us.
  FreeViews();
  FreeBuffer();
  pipelines_.clear();
  if (pool_ != VK_NULL_HANDLE) device_.fns().DestroyDescriptorPool(device_.handle(), pool_, nullptr);
}

void ComputeContext::FreeViews() {
  for (VkImageView view : views_) device_.fns().DestroyImageView(device_.handle(), view, nullptr);
  views_.clear();
}

void ComputeContext::FreeBuffer() {
  const DeviceFns& fns = device_.fns();
  if (bufferMapped_ != nullptr) fns.UnmapMemory(device_.handle(), bufferMemory_);
  if (buffer_ != VK_NULL_HANDLE) fns.DestroyBuffer(device_.handle(), buffer_, nullptr);
  if (bufferMemory_ != VK_NULL_HANDLE) fns.FreeMemory(device_.handle(), bufferMemory_, nullptr);
  bufferMapped_ = nullptr;
  buffer_ = VK_NULL_HANDLE;
  bufferMemory_ = VK_NULL_HANDLE;
  bufferCapacity_ = 0;
}

Status ComputeContext::EnsureBuffer(VkDeviceSize bytes) {
  if (bytes <= bufferCapacity_) return Ok{};
  FreeBuffer();
  const DeviceFns& fns = device_.fns();
  VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  info.size = bytes;
  info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  Status status = Check(fns.CreateBuffer(device_.handle(), &info, nullptr, &buffer_), "vkCreateBuffer (storage buffer)");
  if (!status) {
    buffer_ = VK_NULL_HANDLE;
    return status;
  }
  VkMemoryRequirements needs{};
  fns.GetBufferMemoryRequirements(device_.handle(), buffer_, &needs);
  auto type = FindMemoryType(device_.physical().memory, needs.memoryTypeBits,
                             VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
  if (!type) {
    FreeBuffer();
    return MakeError("OperationNotSupported", "the device has no host-visible coherent memory for a storage buffer");
  }
  VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  alloc.allocationSize = needs.size;
  alloc.memoryTypeIndex = *type;
  status = Check(fns.AllocateMemory(device_.handle(), &alloc, nullptr, &bufferMemory_), "vkAllocateMemory (storage buffer)");
  if (!status) bufferMemory_ = VK_NULL_HANDLE;
  if (status) status = Check(fns.BindBufferMemory(device_.handle(), buffer_, bufferMemory_, 0), "vkBindBufferMemory (storage buffer)");
  void* mapped = nullptr;
  if (status) status = Check(fns.MapMemory(device_.handle(), bufferMemory_, 0, VK_WHOLE_SIZE, 0, &mapped), "vkMapMemory (storage buffer)");
  if (!status) {
    FreeBuffer();
    return status;
  }
  bufferMapped_ = static_cast<uint8_t*>(mapped);
  bufferCapacity_ = bytes;
  return Ok{};
}

Result<ComputePipeline*> ComputeContext::Pipeline(const std::vector<uint32_t>& spirv, const DispatchParams& params) {
  uint32_t count = static_cast<uint32_t>(params.images.size());
  uint64_t key = PipelineKey(spirv, count, params.hasBuffer);
  auto found = pipelines_.find(key);
  if (found != pipelines_.end()) return found->second.get();
  if (pipelines_.size() >= kMaxCachedPipelines) pipelines_.clear();  // the queue is drained: none in use
  auto made = ComputePipeline::Create(device_, spirv, count, params.hasBuffer);
  if (!made) return made.error();
  ComputePipeline* pipeline = made.value().get();
  pipelines_.emplace(key, made.take());
  return pipeline;
}

Result<std::vector<ComputePipeline*>> ComputeContext::Pipelines(const DispatchParams& params) {
  // Start over first if this dispatch's pipelines might not fit, so the cache is never cleared
  // while it holds a pipeline an earlier pass of this dispatch was given.
  if (pipelines_.size() + params.passes.size() > kMaxCachedPipelines) pipelines_.clear();
  std::vector<ComputePipeline*> chosen;
  for (const ComputePass& pass : params.passes) {
    auto pipeline = Pipeline(pass.spirv, params);
    if (!pipeline) return pipeline.error();
    chosen.push_back(pipeline.value());
  }
  return chosen;
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

uint64_t ComputeContext::TakeTicket() {
  std::lock_guard<std::mutex> lock(orderMutex_);
  return nextTicket_++;
}

Status ComputeContext::Dispatch(DispatchParams& params, uint64_t ticket) {
  std::unique_lock<std::mutex> order(orderMutex_);
  turn_.wait(order, [&] { return serving_ == ticket; });
  order.unlock();
  Status status = DispatchInTurn(params);
  order.lock();
  ++serving_;  // on every path, success or error, so later tickets never wait forever
  order.unlock();
  turn_.notify_all();
  return status;
}

Status ComputeContext::DispatchInTurn(DispatchParams& params) {
  if (params.images.empty() || params.images.size() > kMaxComputeImages) {
    return MakeError("InvalidDescriptor", "a dispatch binds 1 to " + std::to_string(kMaxComputeImages) + " textures");
  }
  if (params.passes.empty() || params.passes.size() > kMaxComputePasses) {
    return MakeError("InvalidDescriptor", "a dispatch runs 1 to " + std::to_string(kMaxComputePasses) + " passes");
  }
  for (const ComputePass& pass : params.passes) {
    if (pass.pushConstants.size() > kMaxPushConstantBytes) {
      return MakeError("InvalidDescriptor", "pushConstants is larger than " + std::to_string(kMaxPushConstantBytes) + " bytes");
    }
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
  if (params.hasBuffer) {
    if (params.buffer.empty()) return MakeError("InvalidDescriptor", "storageBuffer is empty");
    status = EnsureBuffer(params.buffer.size());
    if (!status) return status;
    // Coherent memory: vkQueueSubmit makes these host writes visible to the shader.
    std::memcpy(bufferMapped_, params.buffer.data(), params.buffer.size());
  }
  auto pipelines = Pipelines(params);
  if (!pipelines) return pipelines.error();
  status = MakeViews(params);
  if (!status) {
    FreeViews();
    return status;
  }

  // Every pass's set layout is defined identically (same images, same buffer flag), so the one set
  // allocated with the first pass's layout is compatible with all of them.
  const std::vector<ComputePipeline*>& chosen = pipelines.value();
  VkDescriptorSetLayout setLayout = chosen.front()->setLayout();
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
  VkDescriptorBufferInfo bufferInfo{buffer_, 0, params.buffer.size()};
  if (params.hasBuffer) {
    VkWriteDescriptorSet write{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
    write.dstSet = set;
    write.dstBinding = static_cast<uint32_t>(views_.size());
    write.descriptorCount = 1;
    write.descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
    write.pBufferInfo = &bufferInfo;
    writes.push_back(write);
  }
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
  std::vector<std::array<uint8_t, kMaxPushConstantBytes>> push(params.passes.size());
  for (size_t i = 0; i < params.passes.size(); ++i) {
    push[i].fill(0);
    const std::vector<uint8_t>& bytes = params.passes[i].pushConstants;
    if (!bytes.empty()) std::memcpy(push[i].data(), bytes.data(), bytes.size());
  }
  status = commands.Run(
      [&](VkCommandBuffer buffer) {
        for (const auto& image : params.images) Ownership(*image, buffer, true);
        for (size_t i = 0; i < params.passes.size(); ++i) {
          if (i > 0) {
            // What earlier passes wrote (images and buffer) is visible to this one.
            VkMemoryBarrier between{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
            between.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
            between.dstAccessMask = kShaderAccess;
            fns.CmdPipelineBarrier(buffer, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0, 1, &between, 0, nullptr, 0,
                                   nullptr);
          }
          const ComputePipeline& pipeline = *chosen[i];
          const std::array<uint32_t, 3>& groups = params.passes[i].groups;
          fns.CmdBindPipeline(buffer, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.pipeline());
          fns.CmdBindDescriptorSets(buffer, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.layout(), 0, 1, &set, 0, nullptr);
          fns.CmdPushConstants(buffer, pipeline.layout(), VK_SHADER_STAGE_COMPUTE_BIT, 0, kMaxPushConstantBytes, push[i].data());
          fns.CmdDispatch(buffer, groups[0], groups[1], groups[2]);
        }
        for (const auto& image : params.images) Ownership(*image, buffer, false);
        if (params.hasBuffer) {
          // The shader's buffer writes become visible to the host after the fence.
          VkMemoryBarrier toHost{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
          toHost.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
          toHost.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
          fns.CmdPipelineBarrier(buffer, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &toHost, 0, nullptr, 0, nullptr);
        }
      },
      "compute dispatch", kTransferTimeoutNs);
  // On success nothing is in flight; after a timeout the views wait for the next Drain.
  if (!status) return status;
  FreeViews();
  if (params.hasBuffer) std::memcpy(params.buffer.data(), bufferMapped_, params.buffer.size());
  return Ok{};
}

}  // namespace geyser::vk
#endif
