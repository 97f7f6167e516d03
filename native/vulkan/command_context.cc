#ifdef GEYSER_WITH_VULKAN
#include "vulkan/command_context.h"

#include "vulkan/vk_error.h"

namespace geyser::vk {

std::optional<uint32_t> FindMemoryType(const VkPhysicalDeviceMemoryProperties& memory, uint32_t typeBits,
                                       VkMemoryPropertyFlags flags) {
  for (uint32_t i = 0; i < memory.memoryTypeCount; ++i) {
    if ((typeBits & (1u << i)) && (memory.memoryTypes[i].propertyFlags & flags) == flags) return i;
  }
  return std::nullopt;
}

Result<std::unique_ptr<CommandContext>> CommandContext::Create(DeviceCore& device) {
  std::unique_ptr<CommandContext> context(new CommandContext(device));
  const DeviceFns& fns = device.fns();
  VkCommandPoolCreateInfo pool{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
  pool.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  pool.queueFamilyIndex = device.queueFamily();
  Status status = Check(fns.CreateCommandPool(device.handle(), &pool, nullptr, &context->pool_), "vkCreateCommandPool");
  if (!status) return status.error();
  VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
  alloc.commandPool = context->pool_;
  alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  alloc.commandBufferCount = 1;
  status = Check(fns.AllocateCommandBuffers(device.handle(), &alloc, &context->commands_), "vkAllocateCommandBuffers");
  if (!status) return status.error();
  VkFenceCreateInfo fence{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
  status = Check(fns.CreateFence(device.handle(), &fence, nullptr, &context->fence_), "vkCreateFence");
  if (!status) return status.error();
  return context;
}

CommandContext::~CommandContext() {
  // The device waited idle before destroying us; nothing recorded here is in flight.
  const DeviceFns& fns = device_.fns();
  FreeStaging();
  if (fence_ != VK_NULL_HANDLE) fns.DestroyFence(device_.handle(), fence_, nullptr);
  if (pool_ != VK_NULL_HANDLE) fns.DestroyCommandPool(device_.handle(), pool_, nullptr);
}

void CommandContext::FreeStaging() {
  const DeviceFns& fns = device_.fns();
  if (stagingMapped_ != nullptr) fns.UnmapMemory(device_.handle(), stagingMemory_);
  if (stagingBuffer_ != VK_NULL_HANDLE) fns.DestroyBuffer(device_.handle(), stagingBuffer_, nullptr);
  if (stagingMemory_ != VK_NULL_HANDLE) fns.FreeMemory(device_.handle(), stagingMemory_, nullptr);
  stagingMapped_ = nullptr;
  stagingBuffer_ = VK_NULL_HANDLE;
  stagingMemory_ = VK_NULL_HANDLE;
  stagingCapacity_ = 0;
}

Result<uint8_t*> CommandContext::Staging(VkDeviceSize bytes, VkBuffer* buffer) {
  if (bytes <= stagingCapacity_) {
    *buffer = stagingBuffer_;
    return stagingMapped_;
  }
  // The old buffer may be read by a timed-out submission: wait before freeing it.
  Status drained = Drain(UINT64_MAX);
  if (!drained) return drained.error();
  FreeStaging();
  const DeviceFns& fns = device_.fns();
  VkDeviceSize capacity = bytes + bytes / 4;  // headroom so slightly larger frames do not reallocate
  VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  info.size = capacity;
  info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  Status status = Check(fns.CreateBuffer(device_.handle(), &info, nullptr, &stagingBuffer_), "vkCreateBuffer (staging)");
  if (!status) return status.error();
  VkMemoryRequirements needs{};
  fns.GetBufferMemoryRequirements(device_.handle(), stagingBuffer_, &needs);
  auto type = FindMemoryType(device_.physical().memory, needs.memoryTypeBits,
                             VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
  if (!type) {
    FreeStaging();
    return MakeError("VulkanApiError", "the device has no host-visible coherent memory for a staging buffer");
  }
  VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  alloc.allocationSize = needs.size;
  alloc.memoryTypeIndex = *type;
  status = Check(fns.AllocateMemory(device_.handle(), &alloc, nullptr, &stagingMemory_), "vkAllocateMemory (staging)");
  if (status) status = Check(fns.BindBufferMemory(device_.handle(), stagingBuffer_, stagingMemory_, 0), "vkBindBufferMemory (staging)");
  void* mapped = nullptr;
  if (status) status = Check(fns.MapMemory(device_.handle(), stagingMemory_, 0, VK_WHOLE_SIZE, 0, &mapped), "vkMapMemory (staging)");
  if (!status) {
    FreeStaging();
    return status.error();
  }
  stagingMapped_ = static_cast<uint8_t*>(mapped);
  stagingCapacity_ = capacity;
  *buffer = stagingBuffer_;
  return stagingMapped_;
}

Status CommandContext::Drain(uint64_t timeoutNs) {
  if (!pending_) return Ok{};
  VkResult result = device_.fns().WaitForFences(device_.handle(), 1, &fence_, VK_TRUE, timeoutNs);
  if (result == VK_TIMEOUT) {
    return MakeError("Timeout", "an earlier texture transfer is still waiting on the queue (a submitWait whose value was never signaled?)",
                     "VK_TIMEOUT");
  }
  if (result != VK_SUCCESS) return ApiError("vkWaitForFences (transfer)", result);
  pending_ = false;
  return Ok{};
}

Status CommandContext::Run(const std::function<void(VkCommandBuffer)>& record, const std::string& what, uint64_t timeoutNs) {
  Status status = Drain(timeoutNs);
  if (!status) return status;
  const DeviceFns& fns = device_.fns();
  status = Check(fns.ResetFences(device_.handle(), 1, &fence_), "vkResetFences");
  if (!status) return status;
  status = Check(fns.ResetCommandBuffer(commands_, 0), "vkResetCommandBuffer");
  if (!status) return status;
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  status = Check(fns.BeginCommandBuffer(commands_, &begin), "vkBeginCommandBuffer");
  if (!status) return status;
  record(commands_);
  status = Check(fns.EndCommandBuffer(commands_), "vkEndCommandBuffer");
  if (!status) return status;
  VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &commands_;
  status = device_.Submit(1, &submit, fence_, what.c_str());
  if (!status) return status;
  pending_ = true;
  VkResult result = fns.WaitForFences(device_.handle(), 1, &fence_, VK_TRUE, timeoutNs);
  if (result == VK_TIMEOUT) {
    return MakeError("Timeout", what + " did not complete in " + std::to_string(timeoutNs / 1000000) +
                                    " ms (the queue may be waiting on a semaphore value nobody signaled)", "VK_TIMEOUT");
  }
  if (result != VK_SUCCESS) return ApiError("vkWaitForFences (" + what + ")", result);
  pending_ = false;
  return Ok{};
}

}  // namespace geyser::vk
#endif
