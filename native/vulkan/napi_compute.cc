// DeviceWrap's compute methods: reads the flat dispatch object that src/core/vulkan/compute.ts
// builds (already validated there) into a DispatchParams and runs it on the device's queue.
#ifdef GEYSER_WITH_VULKAN
#include <algorithm>

#include "vulkan/compute_context.h"
#include "vulkan/napi_device.h"
#include "vulkan/napi_image.h"
#include "vulkan/napi_util.h"

namespace geyser::vk {

Napi::Value DeviceWrap::DispatchCompute(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto core = Core(env);
  Napi::Object options = ObjectArg(info, 0, "dispatch options");
  DispatchParams params;

  Napi::Value spirv = options.Get("spirv");
  if (!spirv.IsTypedArray() || spirv.As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array) {
    ThrowJs(env, MakeError("Other", "internal: spirv must be a Uint32Array"));
  }
  Napi::Uint32Array words = spirv.As<Napi::Uint32Array>();
  params.spirv.assign(words.Data(), words.Data() + words.ElementLength());

  Napi::Value images = options.Get("images");
  if (!images.IsArray()) ThrowJs(env, MakeError("Other", "internal: images must be an array"));
  Napi::Array list = images.As<Napi::Array>();
  for (uint32_t i = 0; i < list.Length(); ++i) {
    SharedImage& image = ImageWrap::FromValue(env, list.Get(i), "textures[" + std::to_string(i) + "]");
    if (&image.device() != core.get()) {
      ThrowJs(env, MakeError("InvalidTextureHandle", "textures[" + std::to_string(i) + "] belongs to another manager's device"));
    }
    params.images.push_back(&image);
  }

  Napi::Value push = options.Get("pushConstants");
  if (!push.IsTypedArray() || push.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    ThrowJs(env, MakeError("Other", "internal: pushConstants must be a Uint8Array"));
  }
  Napi::Uint8Array bytes = push.As<Napi::Uint8Array>();
  params.pushConstants.assign(bytes.Data(), bytes.Data() + bytes.ElementLength());

  // storageBuffer: null, or a Uint8Array copied in before the dispatch and overwritten after it.
  Napi::Value storage = options.Get("storageBuffer");
  Napi::Uint8Array storageBytes;
  if (!storage.IsNull()) {
    if (!storage.IsTypedArray() || storage.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
      ThrowJs(env, MakeError("Other", "internal: storageBuffer must be a Uint8Array or null"));
    }
    storageBytes = storage.As<Napi::Uint8Array>();
    params.hasBuffer = true;
    params.buffer.assign(storageBytes.Data(), storageBytes.Data() + storageBytes.ElementLength());
  }

  params.groups = {U32Field(options, "groupsX"), U32Field(options, "groupsY"), U32Field(options, "groupsZ")};
  ComputeContext* compute = geyser::Unwrap(env, core->Compute());
  geyser::Unwrap(env, compute->Dispatch(params));
  if (params.hasBuffer) std::copy(params.buffer.begin(), params.buffer.end(), storageBytes.Data());
  return env.Undefined();
}

Napi::Value DeviceWrap::CachedPipelines(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ComputeContext* compute = geyser::Unwrap(env, Core(env)->Compute());
  return Napi::Number::New(env, static_cast<double>(compute->cachedPipelines()));
}

}  // namespace geyser::vk
#endif
