#include "ipc/listener_wrap.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "common/js_error.h"
#include "ipc/js_callback.h"
#include "ipc/socket_ops.h"

namespace geyser {
namespace {

constexpr int kAcceptsPerWakeup = 32;

}  // namespace

Napi::Function ListenerWrap::Define(Napi::Env env) {
  return DefineClass(env, "ListenerWrap",
                     {InstanceMethod<&ListenerWrap::SetAccepting>("setAccepting"),
                      InstanceMethod<&ListenerWrap::SetRef>("setRef"), InstanceMethod<&ListenerWrap::Close>("close")});
}

ListenerWrap::ListenerWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ListenerWrap>(info), env_(info.Env()) {
  if (info.Length() < 5 || !info[0].IsString() || !info[1].IsNumber() || !info[2].IsFunction() || !info[3].IsFunction() ||
      !info[4].IsFunction()) {
    ThrowJs(env_, MakeError("Other", "ListenerWrap: expected (path, backlog, onAccept, onReject, onError)"));
  }
  path_ = info[0].As<Napi::String>().Utf8Value();
  BoundListener bound = geyser::Unwrap(env_, CreateListener(path_, info[1].As<Napi::Number>().Int32Value()));
  fd_ = std::move(bound.fd);
  dev_ = bound.dev;
  ino_ = bound.ino;
  on_accept_ = Napi::Persistent(info[2].As<Napi::Function>());
  on_reject_ = Napi::Persistent(info[3].As<Napi::Function>());
  on_error_ = Napi::Persistent(info[4].As<Napi::Function>());
  context_ = std::make_unique<Napi::AsyncContext>(env_, "GeyserShareChannelServer");
  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env_, &loop);
  int status = poll_.Open(loop, fd_.get(), [this](int s, int events) { OnPoll(s, events); });
  if (status != 0) {
    RemoveListenerFile(path_, dev_, ino_);
    ThrowJs(env_, MakeError("Other", std::string("uv_poll_init failed: ") + uv_strerror(status)));
  }
  poll_.SetRef(false);
  Ref();
  self_referenced_ = true;
  napi_add_env_cleanup_hook(env_, CleanupHook, this);
  poll_.Watch(UV_READABLE);
}

ListenerWrap::~ListenerWrap() {
  in_cleanup_hook_ = in_cleanup_hook_ || !closed_;
  CloseHandles();
}

void ListenerWrap::CleanupHook(void* self) {
  auto* listener = static_cast<ListenerWrap*>(self);
  listener->in_cleanup_hook_ = true;
  listener->CloseHandles();
}

void ListenerWrap::CloseHandles() {
  if (closed_) return;
  closed_ = true;
  poll_.Close();
  fd_.reset();
  RemoveListenerFile(path_, dev_, ino_);
  if (in_cleanup_hook_) return;
  napi_remove_env_cleanup_hook(env_, CleanupHook, this);
  on_accept_.Reset();
  on_reject_.Reset();
  on_error_.Reset();
  if (self_referenced_) {
    self_referenced_ = false;
    Unref();
  }
}

Napi::Value ListenerWrap::SetAccepting(const Napi::CallbackInfo& info) {
  accepting_ = info.Length() > 0 && info[0].ToBoolean();
  if (!closed_) poll_.Watch(accepting_ ? UV_READABLE : 0);
  return env_.Undefined();
}

Napi::Value ListenerWrap::SetRef(const Napi::CallbackInfo& info) {
  if (!closed_) poll_.SetRef(info.Length() > 0 && info[0].ToBoolean());
  return env_.Undefined();
}

Napi::Value ListenerWrap::Close(const Napi::CallbackInfo& info) {
  CloseHandles();
  return env_.Undefined();
}

void ListenerWrap::OnPoll(int status, int events) {
  Napi::HandleScope scope(env_);
  [[maybe_unused]] Napi::Object keep_alive = Value();
  if (status < 0) {
    accepting_ = false;
    poll_.Watch(0);
    CallJs(env_, Value(), on_error_, *context_, {Napi::String::New(env_, "Other"), Napi::String::New(env_, std::string("polling the listening socket failed: ") + uv_strerror(status))});
    return;
  }
  AcceptPending();
}

void ListenerWrap::AcceptPending() {
  const uid_t own_uid = ::geteuid();
  for (int i = 0; i < kAcceptsPerWakeup && accepting_ && !closed_; ++i) {
    UniqueFd peer(::accept4(fd_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!peer.valid()) {
      int err = errno;
      if (err == EAGAIN || err == EWOULDBLOCK) return;
      if (err == EINTR || err == ECONNABORTED) continue;
      // EMFILE and kin: stop watching, or a level-triggered poll would spin on the same error.
      accepting_ = false;
      poll_.Watch(0);
      CallJs(env_, Value(), on_error_, *context_, {Napi::String::New(env_, "Other"), Napi::String::New(env_, "accept() failed: " + ErrnoText(err))});
      return;
    }
    auto cred = GetPeerCredentials(peer.get());
    if (!cred) continue;  // closes it: a peer we cannot identify is not let in
    const PeerCredentials& who = cred.value();
    if (who.uid != own_uid) {
      peer.reset();
      CallJs(env_, Value(), on_reject_, *context_,
             {Napi::Number::New(env_, who.pid), Napi::Number::New(env_, who.uid), Napi::Number::New(env_, who.gid)});
      continue;
    }
    CallJs(env_, Value(), on_accept_, *context_,
           {Napi::Number::New(env_, peer.release()), Napi::Number::New(env_, who.pid), Napi::Number::New(env_, who.uid),
            Napi::Number::New(env_, who.gid)});
  }
}

}  // namespace geyser
