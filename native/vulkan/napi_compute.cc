// DeviceWrap's compute methods: reads the flat dispatch object that src/core/vulkan/compute.ts
// builds (already validated there: passes, images, storageBuffer) into a DispatchParams and runs
// it on the device's queue, either on the JS thread (dispatchCompute) or on the libuv pool
// (dispatchComputeAsync, a promise). The async path holds shared references to the device and
// images and a JS reference to the storage buffer's array, so releasing either meanwhile is safe;
// results are copied back in OnOK.
#ifdef GEYSER_WITH_VULKAN
#include <algorithm>

#include "vulkan/compute_context.h"
#include "vulkan/napi_device.h"
#include "vulkan/napi_image.h"
#include "vulkan/napi_util.h"

namespace geyser::vk {
namespace {

// Reads one pass object: { spirv: Uint32Array, pushConstants: Uint8Array, groupsX, groupsY, groupsZ }.
ComputePass ReadPass(Napi::Env env, Napi::Object pass) {
  ComputePass params;
  Napi::Value spirv = pass.Get("spirv");
  if (!spirv.IsTypedArray() || spirv.As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array) {
    ThrowJs(env, MakeError("Other", "internal: spirv must be a Uint32Array"));
  }
  Napi::Uint32Array words = spirv.As<Napi::Uint32Array>();
  params.spirv.assign(words.Data(), words.Data() + words.ElementLength());

  Napi::Value push = pass.Get("pushConstants");
  if (!push.IsTypedArray() || push.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    ThrowJs(env, MakeError("Other", "internal: pushConstants must be a Uint8Array"));
  }
  Napi::Uint8Array bytes = push.As<Napi::Uint8Array>();
  params.pushConstants.assign(bytes.Data(), bytes.Data() + bytes.ElementLength());
  params.groups = {U32Field(pass, "groupsX"), U32Field(pass, "groupsY"), U32Field(pass, "groupsZ")};
  return params;
}

// Reads the dispatch object; `storage` receives the JS storage buffer (empty when none).
DispatchParams ReadDispatch(Napi::Env env, const DeviceCore& core, Napi::Object options, Napi::Uint8Array* storage) {
  DispatchParams params;
  Napi::Value passes = options.Get("passes");
  if (!passes.IsArray()) ThrowJs(env, MakeError("Other", "internal: passes must be an array"));
  Napi::Array passList = passes.As<Napi::Array>();
  for (uint32_t i = 0; i < passList.Length(); ++i) {
    Napi::Value pass = passList.Get(i);
    if (!pass.IsObject()) ThrowJs(env, MakeError("Other", "internal: each pass must be an object"));
    params.passes.push_back(ReadPass(env, pass.As<Napi::Object>()));
  }

  Napi::Value images = options.Get("images");
  if (!images.IsArray()) ThrowJs(env, MakeError("Other", "internal: images must be an array"));
  Napi::Array list = images.As<Napi::Array>();
  for (uint32_t i = 0; i < list.Length(); ++i) {
    auto image = ImageWrap::FromValue(env, list.Get(i), "textures[" + std::to_string(i) + "]");
    if (&image->device() != &core) {
      ThrowJs(env, MakeError("InvalidTextureHandle", "textures[" + std::to_string(i) + "] belongs to another manager's device"));
    }
    params.images.push_back(std::move(image));
  }

  // storageBuffer: null, or a Uint8Array copied in before the dispatch and overwritten after it.
  Napi::Value buffer = options.Get("storageBuffer");
  if (!buffer.IsNull()) {
    if (!buffer.IsTypedArray() || buffer.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
      ThrowJs(env, MakeError("Other", "internal: storageBuffer must be a Uint8Array or null"));
    }
    *storage = buffer.As<Napi::Uint8Array>();
    params.hasBuffer = true;
    params.buffer.assign(storage->Data(), storage->Data() + storage->ElementLength());
  }
  return params;
}

class DispatchWorker : public Napi::AsyncWorker {
 public:
  DispatchWorker(Napi::Env env, std::shared_ptr<DeviceCore> core, ComputeContext* compute, DispatchParams params, Napi::Uint8Array storage)
      : Napi::AsyncWorker(env),
        deferred_(Napi::Promise::Deferred::New(env)),
        core_(std::move(core)),
        compute_(compute),
        params_(std::move(params)),
        ticket_(compute->TakeTicket()) {
    if (params_.hasBuffer) storage_ = Napi::Persistent(storage);
  }
  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    Status status = compute_->Dispatch(params_, ticket_);
    if (!status) {
      error_ = status.error();
      failed_ = true;
    }
  }
  void OnOK() override {
    if (failed_) {
      deferred_.Reject(ToJsError(Env(), error_).Value());
      return;
    }
    if (params_.hasBuffer) {
      Napi::Uint8Array out = storage_.Value();
      // The array was validated to this length; copy no more than it still has.
      std::copy_n(params_.buffer.begin(), std::min(params_.buffer.size(), out.ElementLength()), out.Data());
    }
    deferred_.Resolve(Env().Undefined());
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<DeviceCore> core_;  // keeps the device (and its ComputeContext) alive
  ComputeContext* compute_;
  DispatchParams params_;  // holds the images alive until the worker is gone
  uint64_t ticket_;
  Napi::Reference<Napi::Uint8Array> storage_;
  Error error_;
  bool failed_ = false;
};

}  // namespace

Napi::Value DeviceWrap::DispatchCompute(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto core = Core(env);
  Napi::Uint8Array storage;
  DispatchParams params = ReadDispatch(env, *core, ObjectArg(info, 0, "dispatch options"), &storage);
  ComputeContext* compute = geyser::Unwrap(env, core->Compute());
  // In line behind any asynchronous dispatches queued earlier (they run on the libuv pool).
  geyser::Unwrap(env, compute->Dispatch(params, compute->TakeTicket()));
  if (params.hasBuffer) std::copy(params.buffer.begin(), params.buffer.end(), storage.Data());
  return env.Undefined();
}

Napi::Value DeviceWrap::DispatchComputeAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto core = Core(env);
  Napi::Uint8Array storage;
  DispatchParams params = ReadDispatch(env, *core, ObjectArg(info, 0, "dispatch options"), &storage);
  ComputeContext* compute = geyser::Unwrap(env, core->Compute());
  // Takes its ticket and is queued in the same step: the libuv pool starts work in FIFO order, so
  // the oldest ticket always has a thread and the order cannot deadlock.
  auto* worker = new DispatchWorker(env, core, compute, std::move(params), storage);
  Napi::Promise promise = worker->Promise();
  worker->Queue();  // deletes itself after OnOK
  return promise;
}

Napi::Value DeviceWrap::CachedPipelines(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ComputeContext* compute = geyser::Unwrap(env, Core(env)->Compute());
  return Napi::Number::New(env, static_cast<double>(compute->cachedPipelines()));
}

}  // namespace geyser::vk
#endif
