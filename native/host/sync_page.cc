#include "host/sync_page.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

namespace geyser::host {
namespace {

uint32_t* FutexWord(SyncPage* page) { return reinterpret_cast<uint32_t*>(&page->futex); }

int64_t NowMs() {
  timespec now {};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
}

// Sleeps while the word still equals `expected`, at most `timeout_ms` (negative: no limit).
void FutexWait(SyncPage* page, uint32_t expected, int64_t timeout_ms) {
  timespec timeout {};
  timespec* timeout_ptr = nullptr;
  if (timeout_ms >= 0) {
    timeout.tv_sec = static_cast<time_t>(timeout_ms / 1000);
    timeout.tv_nsec = static_cast<long>((timeout_ms % 1000) * 1000000);
    timeout_ptr = &timeout;
  }
  // FUTEX_WAIT without FUTEX_PRIVATE_FLAG: the word lives in memory shared between processes.
  ::syscall(SYS_futex, FutexWord(page), FUTEX_WAIT, expected, timeout_ptr, nullptr, 0);
}

}  // namespace

const char* SyncKindName(SyncKind kind) {
  switch (kind) {
    case SyncKind::kTimeline: return "timeline semaphore";
    case SyncKind::kBinary: return "binary semaphore";
    case SyncKind::kFence: return "fence";
  }
  return "sync object";
}

void InitSyncPage(SyncPage* page, SyncKind kind, uint64_t initial_value) {
  page->magic = kSyncMagic;
  page->version = kSyncVersion;
  page->kind = static_cast<uint32_t>(kind);
  page->reserved = 0;
  page->value.store(initial_value, std::memory_order_release);
  page->futex.store(0, std::memory_order_release);
}

Result<SyncKind> CheckSyncPage(const SyncPage* page, const std::string& who) {
  if (page->magic != kSyncMagic) {
    return MakeError("InvalidTextureHandle", who + " has no geyser sync header (magic " + std::to_string(page->magic) + ")");
  }
  if (page->version != kSyncVersion) {
    return MakeError("InvalidTextureHandle", who + " has sync header version " + std::to_string(page->version) +
                                                 "; this Geyser reads version " + std::to_string(kSyncVersion));
  }
  if (page->kind < 1 || page->kind > 3) {
    return MakeError("InvalidTextureHandle", who + " has an unknown sync kind " + std::to_string(page->kind));
  }
  return static_cast<SyncKind>(page->kind);
}

Status Signal(SyncPage* page, SyncKind kind, uint64_t value) {
  if (kind == SyncKind::kFence) {
    page->value.store(1, std::memory_order_release);
  } else if (kind == SyncKind::kBinary) {
    uint64_t expected = 0;
    if (value != 1) return MakeError("InvalidDescriptor", "a binary semaphore is signaled with 1, not " + std::to_string(value));
    if (!page->value.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) {
      return MakeError("OperationNotSupported", "the binary semaphore is already signaled; a wait must consume that signal first");
    }
  } else {
    uint64_t current = page->value.load(std::memory_order_acquire);
    do {
      if (value <= current) {
        return MakeError("InvalidDescriptor", "a timeline semaphore only grows: cannot signal " + std::to_string(value) +
                                                  " when its value is already " + std::to_string(current));
      }
    } while (!page->value.compare_exchange_weak(current, value, std::memory_order_acq_rel));
  }
  Wake(page);
  return Ok{};
}

void Reset(SyncPage* page) {
  page->value.store(0, std::memory_order_release);
  page->futex.fetch_add(1, std::memory_order_acq_rel);
}

bool TryAcquire(SyncPage* page, SyncKind kind, uint64_t target) {
  if (kind == SyncKind::kBinary) {
    uint64_t expected = 1;
    return page->value.compare_exchange_strong(expected, 0, std::memory_order_acq_rel);
  }
  uint64_t value = page->value.load(std::memory_order_acquire);
  return kind == SyncKind::kFence ? value != 0 : value >= target;
}

WaitOutcome Wait(SyncPage* page, SyncKind kind, uint64_t target, int64_t timeout_ms,
                 const std::atomic<bool>& cancelled, uint64_t* reached) {
  const int64_t deadline = timeout_ms >= 0 ? NowMs() + timeout_ms : -1;
  for (;;) {
    // Read the generation before the condition: a signal between the two bumps it, so the
    // futex wait below returns at once instead of missing the wake.
    uint32_t generation = page->futex.load(std::memory_order_acquire);
    if (cancelled.load(std::memory_order_acquire)) {
      *reached = page->value.load(std::memory_order_acquire);
      return WaitOutcome::kCancelled;
    }
    if (TryAcquire(page, kind, target)) {
      *reached = kind == SyncKind::kBinary ? 1 : page->value.load(std::memory_order_acquire);
      return WaitOutcome::kReached;
    }
    int64_t remaining = -1;
    if (deadline >= 0) {
      remaining = deadline - NowMs();
      if (remaining <= 0) {
        *reached = page->value.load(std::memory_order_acquire);
        return WaitOutcome::kTimedOut;
      }
    }
    FutexWait(page, generation, remaining);
  }
}

void Wake(SyncPage* page) {
  page->futex.fetch_add(1, std::memory_order_acq_rel);
  ::syscall(SYS_futex, FutexWord(page), FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
}

}  // namespace geyser::host
