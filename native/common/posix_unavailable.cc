// Windows stand-ins for the areas that need POSIX (listed for Windows only by list-sources.cjs):
// the fd helpers (common_module.cc), the host backend (memfd textures, futex sync) and the
// ShareChannel fd channel (SCM_RIGHTS sockets). Each registers the exports its area would, so the
// addon loads and every use says which part is missing and why, instead of failing to link.
#include "common/js_error.h"
#include "common/modules.h"

namespace geyser {
namespace {

constexpr const char* kHostReason = "memfd textures and futex sync need Linux; this addon was built for Windows";
constexpr const char* kIpcReason = "fd passing over unix sockets needs Linux; this addon was built for Windows";

// The { available: false, reason } object the TS loaders check before touching an area.
Napi::Object Unavailable(Napi::Env env, const char* reason) {
  Napi::Object area = Napi::Object::New(env);
  area.Set("available", Napi::Boolean::New(env, false));
  area.Set("reason", Napi::String::New(env, reason));
  return area;
}

// The fd helpers are plain functions on the addon, so each stays callable and throws why.
Napi::Value FdHelperUnavailable(const Napi::CallbackInfo& info) {
  const std::string name = static_cast<const char*>(info.Data());
  ThrowJs(info.Env(), MakeError("OperationNotSupported", name + ": file descriptors are not supported on Windows yet"));
}

void SetFdHelper(Napi::Env env, Napi::Object exports, const char* name) {
  exports.Set(name, Napi::Function::New(env, FdHelperUnavailable, name, const_cast<char*>(name)));
}

}  // namespace

void InitCommon(Napi::Env env, Napi::Object exports) {
  for (const char* name : {"closeFd", "dupFd", "isFdOpen", "growSendBuffer"}) SetFdHelper(env, exports, name);
}

void InitHost(Napi::Env env, Napi::Object exports) { exports.Set("host", Unavailable(env, kHostReason)); }

void InitIpc(Napi::Env env, Napi::Object exports) { exports.Set("ipc", Unavailable(env, kIpcReason)); }

}  // namespace geyser
