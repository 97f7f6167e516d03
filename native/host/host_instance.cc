#include "host/host_instance.h"

#include "host/sync_wrap.h"

namespace geyser::host {

void HostInstance::Track(const std::shared_ptr<SyncState>& state) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::weak_ptr<SyncState>> kept;
  for (auto& entry : live_) {
    if (!entry.expired()) kept.push_back(std::move(entry));
  }
  kept.push_back(state);
  live_ = std::move(kept);
}

void HostInstance::CancelAll() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& entry : live_) {
    if (auto state = entry.lock()) state->Cancel();
  }
  live_.clear();
}

}  // namespace geyser::host
