// A wait on a host sync object, as a JS promise: settled on the JS thread when already reached
// (or the timeout is 0), otherwise a futex wait on a thread of its own whose result returns through
// a thread-safe function. The thread holds the SyncState, so a release during the wait cannot
// unmap the page under it; release and environment teardown cancel the wait (-> Released).
#pragma once

#include <napi.h>

#include <cstdint>
#include <memory>

#include "host/sync_wrap.h"

namespace geyser::host {

// `timeout_ms` < 0 waits forever. Rejects with a `geyserCode` of Timeout or Released.
Napi::Promise StartWait(Napi::Env env, const std::shared_ptr<SyncState>& state, uint64_t target, int64_t timeout_ms);

}  // namespace geyser::host
