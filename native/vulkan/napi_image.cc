#ifdef GEYSER_WITH_VULKAN
#include "vulkan/napi_image.h"

#include "vulkan/napi_device.h"
#include "vulkan/napi_util.h"
#include "vulkan/transfer.h"

namespace geyser::vk {

Napi::Function ImageWrap::Define(Napi::Env env) {
  return DefineClass(env, "VulkanImage",
                     {
                         InstanceMethod<&ImageWrap::Info>("info"),
                         InstanceMethod<&ImageWrap::ExportFd>("exportFd"),
                         InstanceMethod<&ImageWrap::Write>("write"),
                         InstanceMethod<&ImageWrap::Read>("read"),
                         InstanceMethod<&ImageWrap::ReadInto>("readInto"),
                         InstanceMethod<&ImageWrap::Close>("close"),
                     });
}

// new Image(device, { width, height, formatIndex, usageMask, import: null | { fd, size, memoryTypeIndex, dedicated } })
ImageWrap::ImageWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ImageWrap>(info) {
  Napi::Env env = info.Env();
  auto device = DeviceWrap::FromArg(info, 0)->Core(env);
  Napi::Object options = ObjectArg(info, 1, "image options");
  ImageParams params;
  params.width = U32Field(options, "width");
  params.height = U32Field(options, "height");
  params.formatIndex = U32Field(options, "formatIndex");
  params.usageMask = U32Field(options, "usageMask");
  Napi::Value import = options.Get("import");
  if (import.IsObject()) {
    Napi::Object from = import.As<Napi::Object>();
    ImportParams params2;
    params2.fd = static_cast<int>(NumberField(from, "fd"));
    params2.size = static_cast<uint64_t>(NumberField(from, "size"));
    params2.memoryTypeIndex = U32Field(from, "memoryTypeIndex");
    params2.dedicated = BoolField(from, "dedicated");
    image_ = geyser::Unwrap(env, SharedImage::Import(std::move(device), params, params2));
  } else {
    image_ = geyser::Unwrap(env, SharedImage::Create(std::move(device), params));
  }
}

std::shared_ptr<SharedImage> ImageWrap::FromValue(Napi::Env env, Napi::Value value, const std::string& what) {
  // TS passes only its own VulkanImage objects here; anything else is an internal error.
  if (!value.IsObject()) ThrowJs(env, MakeError("Other", "internal: " + what + " is not a VulkanImage"));
  ImageWrap* wrap = ImageWrap::Unwrap(value.As<Napi::Object>());
  if (wrap == nullptr) ThrowJs(env, MakeError("Other", "internal: " + what + " is not a VulkanImage"));
  wrap->Get(env);  // throws Released once closed
  return wrap->image_;
}

SharedImage& ImageWrap::Get(Napi::Env env) {
  if (!image_) ThrowJs(env, MakeError("Released", "the Vulkan image has been released"));
  return *image_;
}

Napi::Value ImageWrap::Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SharedImage& image = Get(env);
  Napi::Object out = Napi::Object::New(env);
  out.Set("size", Napi::Number::New(env, static_cast<double>(image.size())));
  out.Set("memoryTypeIndex", Napi::Number::New(env, image.memoryTypeIndex()));
  out.Set("dedicated", Napi::Boolean::New(env, image.dedicated()));
  out.Set("vkFormat", Napi::String::New(env, FormatName(image.format().format)));
  return out;
}

Napi::Value ImageWrap::ExportFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Napi::Number::New(env, geyser::Unwrap(env, Get(env).ExportFd()));
}

Napi::Value ImageWrap::Write(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SharedImage& image = Get(env);
  if (info.Length() < 1 || !info[0].IsTypedArray()) ThrowJs(env, MakeError("Other", "internal: write expects a Uint8Array"));
  Napi::TypedArray bytes = info[0].As<Napi::TypedArray>();
  const uint8_t* data = static_cast<const uint8_t*>(bytes.ArrayBuffer().Data()) + bytes.ByteOffset();
  geyser::Unwrap(env, WriteImage(image, data, bytes.ByteLength()));
  return env.Undefined();
}

Napi::Value ImageWrap::Read(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SharedImage& image = Get(env);
  size_t bytes = size_t(image.width()) * image.height() * image.format().texelBytes;
  Napi::Buffer<uint8_t> out = Napi::Buffer<uint8_t>::New(env, bytes);
  geyser::Unwrap(env, ReadImage(image, out.Data(), bytes));
  return out;
}

Napi::Value ImageWrap::ReadInto(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SharedImage& image = Get(env);
  // TS checked the view's type and length; a mismatch here is an internal error, never an overrun.
  if (info.Length() < 1 || !info[0].IsTypedArray()) ThrowJs(env, MakeError("Other", "internal: readInto expects a Uint8Array"));
  Napi::TypedArray target = info[0].As<Napi::TypedArray>();
  size_t bytes = size_t(image.width()) * image.height() * image.format().texelBytes;
  if (target.ByteLength() != bytes) ThrowJs(env, MakeError("Other", "internal: readInto target has the wrong length"));
  uint8_t* out = static_cast<uint8_t*>(target.ArrayBuffer().Data()) + target.ByteOffset();
  geyser::Unwrap(env, ReadImage(image, out, bytes));
  return env.Undefined();
}

Napi::Value ImageWrap::Close(const Napi::CallbackInfo& info) {
  // Idempotent; frees the image and its memory after pending transfers (or, while an asynchronous
  // dispatch still holds it, when that dispatch completes).
  image_.reset();
  return info.Env().Undefined();
}

}  // namespace geyser::vk
#endif
