#include "host/wait_thread.h"

#include <string>
#include <thread>

#include "common/js_error.h"

namespace geyser::host {
namespace {

std::string ValueText(uint64_t value) { return std::to_string(value); }

// One pending wait. It sleeps on its own thread (not the libuv pool: a pool thread stuck in a
// futex wait would block a worker thread's teardown, which waits for pool work to finish before
// it runs cleanup hooks). The result comes back to the JS thread through a thread-safe function,
// whose finalizer joins the thread. On environment teardown HostInstance::CancelAll wakes it.
struct PendingWait {
  std::shared_ptr<SyncState> state;
  uint64_t target = 0;
  int64_t timeout_ms = -1;
  WaitOutcome outcome = WaitOutcome::kCancelled;
  uint64_t reached = 0;
  Napi::Promise::Deferred deferred;
  std::thread thread;

  PendingWait(Napi::Env env, std::shared_ptr<SyncState> s, uint64_t t, int64_t timeout)
      : state(std::move(s)), target(t), timeout_ms(timeout), deferred(Napi::Promise::Deferred::New(env)) {}

  // On the JS thread: resolves, or rejects with Timeout / Released naming the values.
  void Settle(Napi::Env env) {
    const std::string what = SyncKindName(state->kind);
    const std::string goal = state->kind == SyncKind::kTimeline ? "to reach " + ValueText(target) : "to be signaled";
    if (outcome == WaitOutcome::kReached) {
      deferred.Resolve(env.Undefined());
    } else if (outcome == WaitOutcome::kTimedOut) {
      std::string now = state->kind == SyncKind::kTimeline ? "; its value is " + ValueText(reached) : "; it is still unsignaled";
      deferred.Reject(ToJsError(env, MakeError("Timeout", "timed out after " + std::to_string(timeout_ms) + " ms waiting for the " +
                                                              what + " " + goal + now)).Value());
    } else {
      deferred.Reject(ToJsError(env, MakeError("Released", "the " + what + " was released while a wait for it " + goal +
                                                               " was pending")).Value());
    }
  }
};

}  // namespace

Napi::Promise StartWait(Napi::Env env, const std::shared_ptr<SyncState>& state, uint64_t target, int64_t timeout_ms) {
  auto* pending = new PendingWait(env, state, target, timeout_ms);
  Napi::Promise promise = pending->deferred.Promise();
  // The fast path: already reached (or a zero timeout) is answered here, with no thread.
  if (TryAcquire(state->page(), state->kind, target)) {
    pending->outcome = WaitOutcome::kReached;
  } else if (timeout_ms == 0) {
    pending->outcome = WaitOutcome::kTimedOut;
    pending->reached = state->page()->value.load(std::memory_order_acquire);
  } else {
    auto finalize = [](Napi::Env, void*, PendingWait* done) {
      if (done->thread.joinable()) done->thread.join();
      delete done;
    };
    auto tsfn = Napi::ThreadSafeFunction::New(env, Napi::Function(), "geyser:host-wait", 0, 1, pending, finalize,
                                              static_cast<void*>(nullptr));
    // Started after `pending` is complete; the finalizer (JS thread) cannot run before we return.
    pending->thread = std::thread([pending, tsfn]() mutable {
      pending->outcome = host::Wait(pending->state->page(), pending->state->kind, pending->target, pending->timeout_ms,
                                    pending->state->cancelled, &pending->reached);
      tsfn.BlockingCall(pending, [](Napi::Env js_env, Napi::Function, PendingWait* done) {
        if (js_env != nullptr) done->Settle(js_env);  // null: the environment is being torn down
      });
      tsfn.Release();
    });
    return promise;
  }
  pending->Settle(env);
  delete pending;
  return promise;
}

}  // namespace geyser::host
