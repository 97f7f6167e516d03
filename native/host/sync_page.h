// The shared page behind a host semaphore or fence, and the futex operations on it.
//
// Layout (one sealed 4096-byte memfd, mapped by every process that holds the object):
//   magic 'GYSY' | version | kind | reserved | 64-bit value | 32-bit futex word
// `value` is the timeline counter (timeline semaphore), 0/1 (binary semaphore, fence).
// `futex` is a generation counter bumped on every change of `value`; waiters sleep on it with a
// shared (not private) FUTEX_WAIT, so a waker in another process reaches them.
//
// Nothing here touches N-API: Wait runs on a worker thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "common/result.h"

namespace geyser::host {

enum class SyncKind : uint32_t { kTimeline = 1, kBinary = 2, kFence = 3 };

struct SyncPage {
  uint32_t magic;
  uint32_t version;
  uint32_t kind;
  uint32_t reserved;
  std::atomic<uint64_t> value;
  std::atomic<uint32_t> futex;
};

constexpr uint32_t kSyncMagic = 0x59535947;  // "GYSY" little-endian
constexpr uint32_t kSyncVersion = 1;
constexpr uint64_t kSyncPageSize = 4096;

static_assert(std::atomic<uint64_t>::is_always_lock_free, "the shared counter must be lock-free across processes");
static_assert(std::atomic<uint32_t>::is_always_lock_free, "the futex word must be lock-free across processes");

const char* SyncKindName(SyncKind kind);  // "timeline semaphore", "binary semaphore", "fence"

// Writes the header into a fresh (zeroed) page.
void InitSyncPage(SyncPage* page, SyncKind kind, uint64_t initial_value);

// Checks the header of an imported page; `who` names the fd for messages.
Result<SyncKind> CheckSyncPage(const SyncPage* page, const std::string& who);

// Timeline: value must exceed the current one. Binary: value 1, semaphore must be unsignaled.
// Fence: sets signaled (signaling a signaled fence is allowed, as a no-op).
Status Signal(SyncPage* page, SyncKind kind, uint64_t value);

// Fence only: back to unsignaled.
void Reset(SyncPage* page);

// Whether `target` is reached now; for a binary semaphore this consumes the signal (atomically,
// so two waiters never both take one signal).
bool TryAcquire(SyncPage* page, SyncKind kind, uint64_t target);

enum class WaitOutcome { kReached, kTimedOut, kCancelled };

// Blocks until TryAcquire succeeds, `timeout_ms` passes (negative: forever), or `cancelled` is set
// (followed by Wake). Returns the outcome; `reached` gets the value seen last.
WaitOutcome Wait(SyncPage* page, SyncKind kind, uint64_t target, int64_t timeout_ms,
                 const std::atomic<bool>& cancelled, uint64_t* reached);

// Bumps the generation and wakes every waiter in every process (they re-check their condition).
void Wake(SyncPage* page);

}  // namespace geyser::host
