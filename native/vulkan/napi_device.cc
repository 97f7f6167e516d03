#ifdef GEYSER_WITH_VULKAN
#include "vulkan/napi_device.h"

#include "vulkan/fence.h"
#include "vulkan/format_table.h"
#include "vulkan/napi_sync.h"
#include "vulkan/napi_util.h"
#include "vulkan/semaphore.h"

namespace geyser::vk {
namespace {

std::string VersionText(uint32_t version) {
  return std::to_string(VK_API_VERSION_MAJOR(version)) + "." + std::to_string(VK_API_VERSION_MINOR(version)) + "." +
         std::to_string(VK_API_VERSION_PATCH(version));
}

Napi::Object SupportForJs(Napi::Env env, const std::string& opaqueWhy, const std::string& syncWhy) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("opaqueFd", Napi::Boolean::New(env, opaqueWhy.empty()));
  out.Set("syncFd", Napi::Boolean::New(env, syncWhy.empty()));
  out.Set("reason", Napi::String::New(env, opaqueWhy));
  return out;
}

// Opens the device described by the options object, owning or borrowing it.
Result<std::shared_ptr<DeviceCore>> OpenDevice(Napi::Object options) {
  Napi::Value existing = options.Get("existing");
  if (existing.IsObject()) {
    Napi::Object handles = existing.As<Napi::Object>();
    auto instance = InstanceCore::Borrow(reinterpret_cast<VkInstance>(BigIntField(handles, "instance")),
                                         U32Field(handles, "apiVersion"));
    if (!instance) return instance.error();
    auto physicalHandle = reinterpret_cast<VkPhysicalDevice>(BigIntField(handles, "physicalDevice"));
    if (physicalHandle == VK_NULL_HANDLE) return MakeError("InvalidDescriptor", "existing.physicalDevice is a null handle");
    // Its index in the instance's list, for messages; the handle itself is what is used.
    uint32_t index = 0;
    auto all = DescribePhysicalDevices(*instance.value());
    if (all) {
      for (const auto& candidate : all.value()) {
        if (candidate.handle == physicalHandle) index = candidate.index;
      }
    }
    PhysicalDeviceInfo physical = DescribePhysicalDevice(*instance.value(), physicalHandle, index);
    return DeviceCore::Borrow(instance.take(), std::move(physical), reinterpret_cast<VkDevice>(BigIntField(handles, "device")),
                              U32Field(handles, "queueFamilyIndex"), U32Field(handles, "queueIndex"));
  }
  auto instance = InstanceCore::Create();
  if (!instance) return instance.error();
  auto devices = DescribePhysicalDevices(*instance.value());
  if (!devices) return devices.error();
  double index = NumberField(options, "deviceIndex");
  std::optional<uint32_t> wanted;
  if (index >= 0) wanted = static_cast<uint32_t>(index);
  auto chosen = SelectPhysicalDevice(devices.value(), wanted, StringField(options, "deviceUuid"));
  if (!chosen) return chosen.error();
  return DeviceCore::Create(instance.take(), devices.value()[chosen.value()]);
}

}  // namespace

Napi::Object DescribeForJs(Napi::Env env, const PhysicalDeviceInfo& device) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("index", Napi::Number::New(env, device.index));
  out.Set("name", Napi::String::New(env, device.name));
  out.Set("type", Napi::String::New(env, DeviceTypeName(device.type)));
  out.Set("deviceUuid", Napi::String::New(env, device.deviceUuid));
  out.Set("driverUuid", Napi::String::New(env, device.driverUuid));
  out.Set("driver", Napi::String::New(env, device.driverName.empty() ? "" : device.driverName + " " + device.driverInfo));
  out.Set("apiVersion", Napi::String::New(env, VersionText(device.apiVersion)));
  out.Set("rejectReason", Napi::String::New(env, device.rejectReason));
  out.Set("label", Napi::String::New(env, device.label()));
  out.Set("timelineSemaphoreFd", Napi::Boolean::New(env, device.timelineSemaphore.opaqueFd));
  out.Set("fenceFd", Napi::Boolean::New(env, device.fence.opaqueFd || device.fence.syncFd));
  return out;
}

Napi::Function DeviceWrap::Define(Napi::Env env) {
  return DefineClass(env, "VulkanDevice",
                     {
                         StaticMethod<&DeviceWrap::ListDevices>("listDevices"),
                         InstanceMethod<&DeviceWrap::Info>("info"),
                         InstanceMethod<&DeviceWrap::FormatSupport>("formatSupport"),
                         InstanceMethod<&DeviceWrap::LiveAllocations>("liveAllocations"),
                         InstanceMethod<&DeviceWrap::RawHandles>("rawHandles"),
                         InstanceMethod<&DeviceWrap::SubmitSignal>("submitSignal"),
                         InstanceMethod<&DeviceWrap::SubmitWait>("submitWait"),
                         InstanceMethod<&DeviceWrap::DispatchCompute>("dispatchCompute"),
                         InstanceMethod<&DeviceWrap::DispatchComputeAsync>("dispatchComputeAsync"),
                         InstanceMethod<&DeviceWrap::CachedPipelines>("cachedPipelines"),
                         InstanceMethod<&DeviceWrap::Close>("close"),
                     });
}

DeviceWrap::DeviceWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<DeviceWrap>(info) {
  core_ = geyser::Unwrap(info.Env(), OpenDevice(ObjectArg(info, 0, "device options")));
}

std::shared_ptr<DeviceCore> DeviceWrap::Core(Napi::Env env) const {
  if (!core_) ThrowJs(env, MakeError("Released", "the Vulkan device has been closed"));
  return core_;
}

DeviceWrap* DeviceWrap::FromArg(const Napi::CallbackInfo& info, size_t index) {
  Napi::Object object = ObjectArg(info, index, "a VulkanDevice");
  return DeviceWrap::Unwrap(object);
}

Napi::Value DeviceWrap::ListDevices(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto instance = geyser::Unwrap(env, InstanceCore::Create());
  auto devices = geyser::Unwrap(env, DescribePhysicalDevices(*instance));
  Napi::Array out = Napi::Array::New(env, devices.size());
  for (size_t i = 0; i < devices.size(); ++i) out.Set(static_cast<uint32_t>(i), DescribeForJs(env, devices[i]));
  return out;
}

Napi::Value DeviceWrap::Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto core = Core(env);
  Napi::Object out = DescribeForJs(env, core->physical());
  out.Set("owned", Napi::Boolean::New(env, core->owned()));
  out.Set("timelineSemaphore", SupportForJs(env, Semaphore::Unsupported(*core, true, SyncHandleType::kOpaqueFd), "sync-fd handles exist only for binary semaphores"));
  out.Set("binarySemaphore", SupportForJs(env, Semaphore::Unsupported(*core, false, SyncHandleType::kOpaqueFd),
                                          Semaphore::Unsupported(*core, false, SyncHandleType::kSyncFd)));
  out.Set("fence", SupportForJs(env, Fence::Unsupported(*core, SyncHandleType::kOpaqueFd), Fence::Unsupported(*core, SyncHandleType::kSyncFd)));
  out.Set("timeline", Napi::Boolean::New(env, core->enabled().timeline));
  return out;
}

Napi::Value DeviceWrap::FormatSupport(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto core = Core(env);
  Napi::Object query = ObjectArg(info, 0, "a format query");
  auto resolved = ResolveExternalFormat(core->instance(), core->physical(), U32Field(query, "formatIndex"),
                                        U32Field(query, "usageMask"), 1, 1);
  Napi::Object out = Napi::Object::New(env);
  out.Set("supported", Napi::Boolean::New(env, resolved.ok()));
  out.Set("reason", Napi::String::New(env, resolved.ok() ? "" : resolved.error().message));
  out.Set("vkFormat", Napi::String::New(env, resolved.ok() ? FormatName(resolved.value().format) : ""));
  return out;
}

Napi::Value DeviceWrap::LiveAllocations(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(Core(info.Env())->liveAllocations()));
}

Napi::Value DeviceWrap::RawHandles(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto core = Core(env);
  Napi::Object out = Napi::Object::New(env);
  out.Set("instance", Napi::BigInt::New(env, static_cast<uint64_t>(reinterpret_cast<uintptr_t>(core->instance().handle()))));
  out.Set("physicalDevice", Napi::BigInt::New(env, static_cast<uint64_t>(reinterpret_cast<uintptr_t>(core->physical().handle))));
  out.Set("device", Napi::BigInt::New(env, static_cast<uint64_t>(reinterpret_cast<uintptr_t>(core->handle()))));
  out.Set("queueFamilyIndex", Napi::Number::New(env, core->queueFamily()));
  out.Set("apiVersion", Napi::Number::New(env, core->instance().apiVersion()));
  return out;
}

namespace {

// One empty batch that waits for or signals `semaphore` at `value` (timeline info chained).
Status SubmitTimeline(DeviceCore& device, Semaphore& semaphore, uint64_t value, bool signal) {
  VkTimelineSemaphoreSubmitInfo timeline{VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO};
  VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  VkSemaphore handle = semaphore.handle();
  VkPipelineStageFlags stage = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
  if (semaphore.timeline()) submit.pNext = &timeline;
  if (signal) {
    timeline.signalSemaphoreValueCount = 1;
    timeline.pSignalSemaphoreValues = &value;
    submit.signalSemaphoreCount = 1;
    submit.pSignalSemaphores = &handle;
  } else {
    timeline.waitSemaphoreValueCount = 1;
    timeline.pWaitSemaphoreValues = &value;
    submit.waitSemaphoreCount = 1;
    submit.pWaitSemaphores = &handle;
    submit.pWaitDstStageMask = &stage;
  }
  return device.Submit(1, &submit, VK_NULL_HANDLE, signal ? "submitSignal" : "submitWait");
}

}  // namespace

Napi::Value DeviceWrap::SubmitSignal(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto core = Core(env);
  auto semaphore = SemaphoreWrap::FromArg(info, 0)->Core(env);
  if (&semaphore->device() != core.get()) ThrowJs(env, MakeError("InvalidDescriptor", "the semaphore belongs to another manager's device"));
  geyser::Unwrap(env, SubmitTimeline(*core, *semaphore, static_cast<uint64_t>(info[1].As<Napi::Number>().DoubleValue()), true));
  return env.Undefined();
}

Napi::Value DeviceWrap::SubmitWait(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto core = Core(env);
  auto semaphore = SemaphoreWrap::FromArg(info, 0)->Core(env);
  if (&semaphore->device() != core.get()) ThrowJs(env, MakeError("InvalidDescriptor", "the semaphore belongs to another manager's device"));
  geyser::Unwrap(env, SubmitTimeline(*core, *semaphore, static_cast<uint64_t>(info[1].As<Napi::Number>().DoubleValue()), false));
  return env.Undefined();
}

Napi::Value DeviceWrap::Close(const Napi::CallbackInfo& info) {
  // Children hold their own reference; the VkDevice goes when the last of them does.
  core_.reset();
  return info.Env().Undefined();
}

}  // namespace geyser::vk
#endif
