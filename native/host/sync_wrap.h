// HostSyncNative: a timeline semaphore, binary semaphore or fence on a sealed geyser memfd page
// (see sync_page.h). TS keeps it private (HostSemaphore / HostFence #native field).
//
// JS surface: new HostSyncNative(kind, initialValue, fd) — kind 1 timeline, 2 binary, 3 fence;
// fd -1 creates, fd >= 0 imports (header validated; consumed only on success).
// Methods: signal(v), reset(), value, kind, wait(target, timeoutMs) -> Promise (resolved on the JS
// thread when already reached, else a futex wait on a thread of its own), exportFd(), release().
// Releasing with waits pending wakes them; they reject with Released. The page stays mapped
// until the last pending wait has finished (each holds the shared state).
#pragma once

#include <napi.h>

#include <atomic>
#include <memory>

#include "common/unique_fd.h"
#include "host/memfd.h"
#include "host/sync_page.h"

namespace geyser::host {

struct SyncState {
  UniqueFd fd;
  SharedMapping mapping;
  SyncKind kind = SyncKind::kTimeline;
  std::atomic<bool> cancelled{false};

  SyncPage* page() const { return static_cast<SyncPage*>(mapping.data()); }
  void Cancel();  // sets cancelled and wakes every waiter
};

class SyncWrap : public Napi::ObjectWrap<SyncWrap> {
 public:
  static Napi::Function DefineClass(Napi::Env env);
  explicit SyncWrap(const Napi::CallbackInfo& info);
  ~SyncWrap() override;

 private:
  Napi::Value Signal(const Napi::CallbackInfo& info);
  Napi::Value Reset(const Napi::CallbackInfo& info);
  Napi::Value GetValue(const Napi::CallbackInfo& info);
  Napi::Value Kind(const Napi::CallbackInfo& info);
  Napi::Value Wait(const Napi::CallbackInfo& info);
  Napi::Value ExportFd(const Napi::CallbackInfo& info);
  Napi::Value Release(const Napi::CallbackInfo& info);
  void ThrowIfReleased(Napi::Env env) const;

  std::shared_ptr<SyncState> state_;
};

}  // namespace geyser::host
