// HostTextureNative: a sealed geyser-texture memfd mapped into this process, exposed to JS as an
// external ArrayBuffer (zero copy). TS keeps it private (HostTexture's #native field).
//
// JS surface: new HostTextureNative(size, fd) — fd -1 creates a fresh memfd; fd >= 0 imports it
// (validated by CheckMemfd; consumed only on success, on failure the caller still owns it).
// Methods: buffer() (the same ArrayBuffer each call), exportFd() (a new CLOEXEC fd the caller owns),
// release() (idempotent: detaches the ArrayBuffer, then unmaps and closes the fd).
#pragma once

#include <napi.h>

#include <memory>

#include "common/unique_fd.h"
#include "host/memfd.h"

namespace geyser::host {

class TextureWrap : public Napi::ObjectWrap<TextureWrap> {
 public:
  static Napi::Function DefineClass(Napi::Env env);
  explicit TextureWrap(const Napi::CallbackInfo& info);

 private:
  // Shared by this object and the ArrayBuffer's finalizer: whichever lets go last unmaps, so a
  // view that outlives an unreleased texture never points at unmapped memory.
  struct Holder {
    SharedMapping mapping;
  };

  Napi::Value Buffer(const Napi::CallbackInfo& info);
  Napi::Value ExportFd(const Napi::CallbackInfo& info);
  Napi::Value Release(const Napi::CallbackInfo& info);
  Napi::Value Size(const Napi::CallbackInfo& info);
  void ThrowIfReleased(Napi::Env env) const;

  UniqueFd fd_;
  std::shared_ptr<Holder> holder_;
  Napi::Reference<Napi::ArrayBuffer> buffer_;
  uint64_t size_ = 0;
  bool released_ = false;
};

}  // namespace geyser::host
