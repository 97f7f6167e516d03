// Registers the host backend's exports: the native texture and sync classes, and a probe.
#include "common/js_error.h"
#include "common/modules.h"
#include "host/host_instance.h"
#include "host/memfd.h"
#include "host/sync_wrap.h"
#include "host/texture_wrap.h"

namespace geyser {
namespace host {

HostInstance& Instance(Napi::Env env) { return *env.GetInstanceData<HostInstance>(); }

namespace {

// hostProbe(): creates, seals and maps a one-page memfd; throws naming what failed.
Napi::Value Probe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  UniqueFd fd = Unwrap(env, CreateSealedMemfd(MemfdKind::kTexture, 4096));
  Unwrap(env, CheckMemfd(fd.get(), MemfdKind::kTexture, 4096));
  SharedMapping mapping = Unwrap(env, SharedMapping::Map(fd.get(), 4096));
  return Napi::String::New(env, "memfd_create, sealing and shared mapping work");
}

}  // namespace
}  // namespace host

void InitHost(Napi::Env env, Napi::Object exports) {
  // One HostInstance per environment (main thread or worker); freed with the environment.
  auto* instance = new host::HostInstance();
  env.SetInstanceData(instance);
  // Cleanup hooks run before instance data is freed: wake pending waits so no wait thread
  // sleeps on a page whose environment is gone.
  env.AddCleanupHook([instance]() { instance->CancelAll(); });
  Napi::Object hostExports = Napi::Object::New(env);
  Napi::Function texture = host::TextureWrap::DefineClass(env);
  Napi::Function sync = host::SyncWrap::DefineClass(env);
  hostExports.Set("HostTextureNative", texture);
  hostExports.Set("HostSyncNative", sync);
  hostExports.Set("probe", Napi::Function::New(env, host::Probe, "probe"));
  exports.Set("host", hostExports);
}

}  // namespace geyser
