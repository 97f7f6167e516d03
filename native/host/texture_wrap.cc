#include "host/texture_wrap.h"

#include <fcntl.h>

#include <cerrno>
#include <string>

#include "common/js_error.h"
#include "host/host_instance.h"

namespace geyser::host {

Napi::Function TextureWrap::DefineClass(Napi::Env env) {
  return ObjectWrap<TextureWrap>::DefineClass(env, "HostTextureNative",
                                              {
                                                  InstanceMethod<&TextureWrap::Buffer>("buffer"),
                                                  InstanceMethod<&TextureWrap::ExportFd>("exportFd"),
                                                  InstanceMethod<&TextureWrap::Release>("release"),
                                                  InstanceAccessor<&TextureWrap::Size>("size"),
                                              });
}

TextureWrap::TextureWrap(const Napi::CallbackInfo& info) : ObjectWrap<TextureWrap>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsNumber()) {
    ThrowJs(env, MakeError("Other", "HostTextureNative(size, fd) needs two numbers"));
  }
  size_ = static_cast<uint64_t>(info[0].As<Napi::Number>().Int64Value());
  int fd = info[1].As<Napi::Number>().Int32Value();
  if (fd < 0) {
    fd_ = geyser::Unwrap(env, CreateSealedMemfd(MemfdKind::kTexture, size_));
  } else {
    geyser::Unwrap(env, CheckMemfd(fd, MemfdKind::kTexture, size_));
    // Map before taking ownership: if mapping fails the caller still owns the fd.
    auto mapping = geyser::Unwrap(env, SharedMapping::Map(fd, size_));
    fd_.reset(fd);
    holder_ = std::make_shared<Holder>(Holder{std::move(mapping)});
    return;
  }
  holder_ = std::make_shared<Holder>(Holder{geyser::Unwrap(env, SharedMapping::Map(fd_.get(), size_))});
}

void TextureWrap::ThrowIfReleased(Napi::Env env) const {
  if (released_) ThrowJs(env, MakeError("Released", "the host texture has been released"));
}

Napi::Value TextureWrap::Buffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ThrowIfReleased(env);
  if (!buffer_.IsEmpty()) return buffer_.Value();
  auto* hint = new std::shared_ptr<Holder>(holder_);
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(
      env, holder_->mapping.data(), holder_->mapping.size(),
      [](Napi::Env, void*, std::shared_ptr<Holder>* held) { delete held; }, hint);
  buffer_ = Napi::Persistent(buffer);
  return buffer;
}

Napi::Value TextureWrap::ExportFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ThrowIfReleased(env);
  int copy = ::fcntl(fd_.get(), F_DUPFD_CLOEXEC, 3);
  if (copy < 0) ThrowJs(env, MakeError("Other", "duplicating the texture's fd " + std::to_string(fd_.get()) + " failed: " + ErrnoText(errno)));
  return Napi::Number::New(env, copy);
}

Napi::Value TextureWrap::Release(const Napi::CallbackInfo& info) {
  if (released_) return info.Env().Undefined();
  released_ = true;
  // Detach first: every JS view of the memory becomes length 0 before the pages go away.
  if (!buffer_.IsEmpty()) {
    Napi::ArrayBuffer buffer = buffer_.Value();
    if (!buffer.IsDetached()) buffer.Detach();
    buffer_.Reset();
  }
  holder_->mapping.Unmap();
  holder_.reset();
  fd_.reset();
  return info.Env().Undefined();
}

Napi::Value TextureWrap::Size(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), static_cast<double>(size_)); }

}  // namespace geyser::host
