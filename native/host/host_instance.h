// Per-addon-instance state of the host area (one per main thread / worker thread; no globals):
// the live sync objects, so that when a thread's environment is torn down every pending wait is
// woken and its thread can finish.
#pragma once

#include <napi.h>

#include <memory>
#include <mutex>
#include <vector>

namespace geyser::host {

struct SyncState;

struct HostInstance {
  void Track(const std::shared_ptr<SyncState>& state);
  void CancelAll();  // wakes and cancels every pending wait (env cleanup)

 private:
  std::mutex mutex_;
  std::vector<std::weak_ptr<SyncState>> live_;
};

HostInstance& Instance(Napi::Env env);

}  // namespace geyser::host
