#include "host/sync_wrap.h"

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "common/js_error.h"
#include "host/host_instance.h"
#include "host/wait_thread.h"

namespace geyser::host {
namespace {

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
  const uint32_t raw_kind = info[0].As<Napi::Number>().Uint32Value();
  if (raw_kind < 1 || raw_kind > 3) ThrowJs(env, MakeError("Other", "HostSyncNative kind must be 1, 2 or 3"));
  auto kind = static_cast<SyncKind>(raw_kind);
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

}  // namespace geyser::host
