#include "host/sync_wrap.h"

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

#include "common/js_error.h"
#include "host/host_instance.h"

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

uint64_t U64Arg(const Napi::CallbackInfo& info, size_t index) {
  return static_cast<uint64_t>(info[index].As<Napi::Number>().DoubleValue());
}

}  // namespace

void SyncState::Cancel() {
  if (cancelled.exchange(true)) return;
  if (mapping.mapped()) host::Wake(page());
}

Napi::Function SyncWrap::DefineClass(Napi::Env env) {
  return ObjectWrap<SyncWrap>::DefineClass(env, "HostSyncNative",
                                           {
                                               InstanceMethod<&SyncWrap::Signal>("signal"),
                                               InstanceMethod<&SyncWrap::Reset>("reset"),
                                               InstanceMethod<&SyncWrap::Wait>("wait"),
                                               InstanceMethod<&SyncWrap::ExportFd>("exportFd"),
                                               InstanceMethod<&SyncWrap::Release>("release"),
                                               InstanceAccessor<&SyncWrap::GetValue>("value"),
                                               InstanceAccessor<&SyncWrap::Kind>("kind"),
                                           });
}

SyncWrap::SyncWrap(const Napi::CallbackInfo& info) : ObjectWrap<SyncWrap>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsNumber()) {
    ThrowJs(env, MakeError("Other", "HostSyncNative(kind, initialValue, fd) needs three numbers"));
  }
  auto kind = static_cast<SyncKind>(info[0].As<Napi::Number>().Uint32Value());
  const MemfdKind memfd_kind = kind == SyncKind::kFence ? MemfdKind::kFence : MemfdKind::kSemaphore;
  int fd = info[2].As<Napi::Number>().Int32Value();
  auto state = std::make_shared<SyncState>();
  if (fd < 0) {
    state->fd = geyser::Unwrap(env, CreateSealedMemfd(memfd_kind, kSyncPageSize));
    state->mapping = geyser::Unwrap(env, SharedMapping::Map(state->fd.get(), kSyncPageSize));
    InitSyncPage(state->page(), kind, U64Arg(info, 1));
  } else {
    geyser::Unwrap(env, CheckMemfd(fd, memfd_kind, kSyncPageSize));
    state->mapping = geyser::Unwrap(env, SharedMapping::Map(fd, kSyncPageSize));
    const std::string who = "fd " + std::to_string(fd);
    SyncKind found = geyser::Unwrap(env, CheckSyncPage(state->page(), who));
    if (found != kind) {
      ThrowJs(env, MakeError("InvalidTextureHandle", who + " holds a " + SyncKindName(found) + ", not a " + SyncKindName(kind)));
    }
    state->fd.reset(fd);  // every check passed: the import consumes the fd
  }
  state->kind = kind;
  Instance(env).Track(state);
  state_ = std::move(state);
}

SyncWrap::~SyncWrap() {
  // Collected without release(): wake our pending waits; they keep the page alive until done.
  if (state_) state_->Cancel();
}

void SyncWrap::ThrowIfReleased(Napi::Env env) const {
  if (!state_) ThrowJs(env, MakeError("Released", "the host sync object has been released"));
}

Napi::Value SyncWrap::Signal(const Napi::CallbackInfo& info) {
  ThrowIfReleased(info.Env());
  geyser::Unwrap(info.Env(), host::Signal(state_->page(), state_->kind, U64Arg(info, 0)));
  return info.Env().Undefined();
}

Napi::Value SyncWrap::Reset(const Napi::CallbackInfo& info) {
  ThrowIfReleased(info.Env());
  host::Reset(state_->page());
  return info.Env().Undefined();
}

Napi::Value SyncWrap::GetValue(const Napi::CallbackInfo& info) {
  ThrowIfReleased(info.Env());
  return Napi::Number::New(info.Env(), static_cast<double>(state_->page()->value.load(std::memory_order_acquire)));
}

Napi::Value SyncWrap::Kind(const Napi::CallbackInfo& info) {
  ThrowIfReleased(info.Env());
  return Napi::Number::New(info.Env(), static_cast<uint32_t>(state_->kind));
}

Napi::Value SyncWrap::Wait(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ThrowIfReleased(env);
  uint64_t target = U64Arg(info, 0);
  int64_t timeout_ms = info[1].As<Napi::Number>().Int64Value();
  return StartWait(env, state_, target, timeout_ms);
}

Napi::Value SyncWrap::ExportFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ThrowIfReleased(env);
  int copy = ::fcntl(state_->fd.get(), F_DUPFD_CLOEXEC, 3);
  if (copy < 0) ThrowJs(env, MakeError("Other", "duplicating the sync object's fd failed: " + ErrnoText(errno)));
  return Napi::Number::New(env, copy);
}

Napi::Value SyncWrap::Release(const Napi::CallbackInfo& info) {
  if (!state_) return info.Env().Undefined();
  state_->Cancel();
  state_->fd.reset();  // the mapping stays until the last pending wait drops the state
  state_.reset();
  return info.Env().Undefined();
}

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
