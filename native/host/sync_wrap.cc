#include "host/sync_wrap.h"

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "common/js_error.h"
#include "host/host_instance.h"

namespace geyser::host {
namespace {

std::string ValueText(uint64_t value) { return std::to_string(value); }

// Waits off the JS thread; builds the result (or the Timeout/Released error) back on it.
class WaitWorker : public Napi::AsyncWorker {
 public:
  WaitWorker(Napi::Env env, std::shared_ptr<SyncState> state, uint64_t target, int64_t timeout_ms)
      : Napi::AsyncWorker(env, "geyser:host-wait"),
        deferred_(Napi::Promise::Deferred::New(env)),
        state_(std::move(state)),
        target_(target),
        timeout_ms_(timeout_ms) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

  void Execute() override {
    outcome_ = host::Wait(state_->page(), state_->kind, target_, timeout_ms_, state_->cancelled, &reached_);
  }

  // Settles on the JS thread without queuing (already reached, or a zero timeout that was not).
  void SettleNow(WaitOutcome outcome, uint64_t reached) {
    outcome_ = outcome;
    reached_ = reached;
    OnOK();
  }

  void OnOK() override {
    Napi::Env env = Env();
    const std::string what = SyncKindName(state_->kind);
    const std::string goal = state_->kind == SyncKind::kTimeline ? "to reach " + ValueText(target_) : "to be signaled";
    if (outcome_ == WaitOutcome::kReached) {
      deferred_.Resolve(env.Undefined());
    } else if (outcome_ == WaitOutcome::kTimedOut) {
      std::string now = state_->kind == SyncKind::kTimeline ? "; its value is " + ValueText(reached_) : "; it is still unsignaled";
      deferred_.Reject(ToJsError(env, MakeError("Timeout", "timed out after " + std::to_string(timeout_ms_) +
                                                               " ms waiting for the " + what + " " + goal + now)).Value());
    } else {
      deferred_.Reject(ToJsError(env, MakeError("Released", "the " + what + " was released while a wait for it " + goal +
                                                                " was pending")).Value());
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<SyncState> state_;
  uint64_t target_;
  int64_t timeout_ms_;
  WaitOutcome outcome_ = WaitOutcome::kCancelled;
  uint64_t reached_ = 0;
};

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
  auto* worker = new WaitWorker(env, state_, target, timeout_ms);
  Napi::Promise promise = worker->Promise();
  // The fast path: already reached (or timeout 0) is answered here, with no pool thread.
  const bool reached = TryAcquire(state_->page(), state_->kind, target);
  if (reached || timeout_ms == 0) {
    worker->SettleNow(reached ? WaitOutcome::kReached : WaitOutcome::kTimedOut,
                      state_->page()->value.load(std::memory_order_acquire));
    delete worker;  // never queued, so never self-deleting
    return promise;
  }
  worker->Queue();
  return promise;
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
