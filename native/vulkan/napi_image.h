// JS class `Image` (vulkan.Image): one SharedImage, created for export or imported from an fd.
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <napi.h>

#include <memory>
#include <string>

#include "vulkan/shared_image.h"

namespace geyser::vk {

class ImageWrap : public Napi::ObjectWrap<ImageWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit ImageWrap(const Napi::CallbackInfo& info);
  // The image behind a JS VulkanImage (throws naming `what` for anything else, or once released).
  // Shared: an asynchronous compute dispatch keeps the image alive if JS releases it meanwhile.
  static std::shared_ptr<SharedImage> FromValue(Napi::Env env, Napi::Value value, const std::string& what);

 private:
  SharedImage& Get(Napi::Env env);
  Napi::Value Info(const Napi::CallbackInfo& info);
  Napi::Value ExportFd(const Napi::CallbackInfo& info);
  Napi::Value Write(const Napi::CallbackInfo& info);
  Napi::Value Read(const Napi::CallbackInfo& info);
  // Reads into a caller-given typed array of exactly the texture's byte length (no allocation).
  Napi::Value ReadInto(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);

  std::shared_ptr<SharedImage> image_;
};

}  // namespace geyser::vk

#endif
