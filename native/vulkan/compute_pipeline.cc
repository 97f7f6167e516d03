#ifdef GEYSER_WITH_VULKAN
#include "vulkan/compute_pipeline.h"

#include "vulkan/vk_error.h"

namespace geyser::vk {

uint64_t PipelineKey(const std::vector<uint32_t>& words, uint32_t imageCount, bool storageBuffer) {
  uint64_t hash = 1469598103934665603ull;
  auto mix = [&hash](uint32_t word) {
    for (int shift = 0; shift < 32; shift += 8) {
      hash ^= (word >> shift) & 0xffu;
      hash *= 1099511628211ull;
    }
  };
  mix(imageCount | (storageBuffer ? 0x80000000u : 0u));
  for (uint32_t word : words) mix(word);
  return hash;
}

Result<std::unique_ptr<ComputePipeline>> ComputePipeline::Create(DeviceCore& device, const std::vector<uint32_t>& words,
                                                                 uint32_t imageCount, bool storageBuffer) {
  std::unique_ptr<ComputePipeline> made(new ComputePipeline(device, imageCount));
  const DeviceFns& fns = device.fns();
  VkDevice handle = device.handle();

  VkShaderModuleCreateInfo module{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
  module.codeSize = words.size() * sizeof(uint32_t);
  module.pCode = words.data();
  VkResult result = fns.CreateShaderModule(handle, &module, nullptr, &made->module_);
  if (result != VK_SUCCESS) {
    made->module_ = VK_NULL_HANDLE;
    return ApiError("vkCreateShaderModule (spirv)", result, "InvalidDescriptor");
  }

  uint32_t count = imageCount + (storageBuffer ? 1 : 0);
  std::vector<VkDescriptorSetLayoutBinding> bindings(count);
  for (uint32_t i = 0; i < count; ++i) {
    bindings[i].binding = i;
    bindings[i].descriptorType = i < imageCount ? VK_DESCRIPTOR_TYPE_STORAGE_IMAGE : VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
    bindings[i].descriptorCount = 1;
    bindings[i].stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
  }
  VkDescriptorSetLayoutCreateInfo setInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
  setInfo.bindingCount = count;
  setInfo.pBindings = bindings.data();
  Status status = Check(fns.CreateDescriptorSetLayout(handle, &setInfo, nullptr, &made->setLayout_), "vkCreateDescriptorSetLayout");
  if (!status) return status.error();

  VkPushConstantRange push{VK_SHADER_STAGE_COMPUTE_BIT, 0, kMaxPushConstantBytes};
  VkPipelineLayoutCreateInfo layoutInfo{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
  layoutInfo.setLayoutCount = 1;
  layoutInfo.pSetLayouts = &made->setLayout_;
  layoutInfo.pushConstantRangeCount = 1;
  layoutInfo.pPushConstantRanges = &push;
  status = Check(fns.CreatePipelineLayout(handle, &layoutInfo, nullptr, &made->layout_), "vkCreatePipelineLayout");
  if (!status) return status.error();

  VkComputePipelineCreateInfo pipeline{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
  pipeline.stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
  pipeline.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
  pipeline.stage.module = made->module_;
  pipeline.stage.pName = "main";
  pipeline.layout = made->layout_;
  result = fns.CreateComputePipelines(handle, VK_NULL_HANDLE, 1, &pipeline, nullptr, &made->pipeline_);
  if (result != VK_SUCCESS) {
    made->pipeline_ = VK_NULL_HANDLE;
    return ApiError("vkCreateComputePipelines (spirv)", result, "InvalidDescriptor");
  }
  return made;
}

ComputePipeline::~ComputePipeline() {
  // The compute context drains its submission before dropping a pipeline, so none is in use.
  const DeviceFns& fns = device_.fns();
  VkDevice handle = device_.handle();
  if (pipeline_ != VK_NULL_HANDLE) fns.DestroyPipeline(handle, pipeline_, nullptr);
  if (layout_ != VK_NULL_HANDLE) fns.DestroyPipelineLayout(handle, layout_, nullptr);
  if (setLayout_ != VK_NULL_HANDLE) fns.DestroyDescriptorSetLayout(handle, setLayout_, nullptr);
  if (module_ != VK_NULL_HANDLE) fns.DestroyShaderModule(handle, module_, nullptr);
}

}  // namespace geyser::vk
#endif
