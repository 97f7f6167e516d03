#include "ipc/channel_wrap.h"

#include <fcntl.h>

#include <cerrno>

#include "common/js_error.h"
#include "ipc/js_callback.h"
#include "ipc/socket_ops.h"

namespace geyser {
namespace {

constexpr int kPacketsPerWakeup = 64;  // bounded so one busy channel cannot starve the loop

int IntArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (info.Length() <= index || !info[index].IsNumber()) {
    ThrowJs(info.Env(), MakeError("Other", std::string("ChannelWrap: expected a number for ") + name));
  }
  return info[index].As<Napi::Number>().Int32Value();
}

Napi::Function FunctionArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (info.Length() <= index || !info[index].IsFunction()) {
    ThrowJs(info.Env(), MakeError("Other", std::string("ChannelWrap: expected a function for ") + name));
  }
  return info[index].As<Napi::Function>();
}

}  // namespace

Napi::Function ChannelWrap::Define(Napi::Env env) {
  return DefineClass(env, "ChannelWrap",
                     {InstanceMethod<&ChannelWrap::Send>("send"), InstanceMethod<&ChannelWrap::SetReading>("setReading"),
                      InstanceMethod<&ChannelWrap::SetRef>("setRef"), InstanceMethod<&ChannelWrap::Close>("close"),
                      InstanceMethod<&ChannelWrap::Peer>("peer"), InstanceMethod<&ChannelWrap::Fd>("fd")});
}

ChannelWrap::ChannelWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ChannelWrap>(info), env_(info.Env()) {
  int fd = IntArg(info, 0, "fd");
  max_bytes_ = static_cast<size_t>(IntArg(info, 1, "maxBytes"));
  max_fds_ = static_cast<size_t>(IntArg(info, 2, "maxFds"));
  on_packet_ = Napi::Persistent(FunctionArg(info, 3, "onPacket"));
  on_sent_ = Napi::Persistent(FunctionArg(info, 4, "onSent"));
  on_end_ = Napi::Persistent(FunctionArg(info, 5, "onEnd"));
  if (max_fds_ > kMaxFdsPerPacket) max_fds_ = kMaxFdsPerPacket;
  // Until here the caller still owns fd (a failure leaves it open); from here on we do.
  geyser::Unwrap(env_, AdoptSocket(fd));
  fd_.reset(fd);
  scratch_.resize(max_bytes_ > 0 ? max_bytes_ : 1);
  context_ = std::make_unique<Napi::AsyncContext>(env_, "GeyserShareChannel");
  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env_, &loop);
  int status = poll_.Open(loop, fd_.get(), [this](int s, int events) { OnPoll(s, events); });
  if (status != 0) {
    fd_.release();  // give it back: the constructor failed, so the caller keeps ownership
    ThrowJs(env_, MakeError("Other", std::string("uv_poll_init failed: ") + uv_strerror(status)));
  }
  poll_.SetRef(false);
  // An open channel is a GC root, like an open net.Socket: it must not vanish under a pending read.
  Ref();
  self_referenced_ = true;
  napi_add_env_cleanup_hook(env_, CleanupHook, this);
  UpdateWatch();
}

ChannelWrap::~ChannelWrap() {
  in_cleanup_hook_ = in_cleanup_hook_ || !closed_;  // finalizer: only free native resources
  CloseHandles();
}

void ChannelWrap::CleanupHook(void* self) {
  auto* channel = static_cast<ChannelWrap*>(self);
  channel->in_cleanup_hook_ = true;
  channel->CloseHandles();
}

void ChannelWrap::CloseHandles() {
  if (closed_) return;
  closed_ = true;
  poll_.Close();
  fd_.reset();
  queue_.clear();
  if (in_cleanup_hook_) return;
  napi_remove_env_cleanup_hook(env_, CleanupHook, this);
  // The callbacks close over the TS channel that holds this object; dropping them breaks the cycle.
  on_packet_.Reset();
  on_sent_.Reset();
  on_end_.Reset();
  if (self_referenced_) {
    self_referenced_ = false;
    Unref();
  }
}

Napi::Value ChannelWrap::Send(const Napi::CallbackInfo& info) {
  if (closed_) ThrowJs(env_, MakeError("ChannelClosed", "the channel is closed"));
  if (ended_) ThrowJs(env_, MakeError("ChannelClosed", "the peer closed the channel"));
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsArray()) {
    ThrowJs(env_, MakeError("Other", "ChannelWrap.send: expected (string, number[])"));
  }
  std::string bytes = info[0].As<Napi::String>().Utf8Value();
  Napi::Array list = info[1].As<Napi::Array>();
  std::vector<int> fds(list.Length());
  for (uint32_t i = 0; i < list.Length(); ++i) fds[i] = list.Get(i).As<Napi::Number>().Int32Value();
  if (queue_.empty()) {
    auto outcome = SendPacket(fd_.get(), bytes, fds);
    if (!outcome) ThrowJs(env_, outcome.error());
    if (outcome.value() == SendOutcome::kSent) return Napi::Boolean::New(env_, true);
  }
  QueuedPacket packet{std::move(bytes), {}};
  for (int fd : fds) {
    int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) {
      int err = errno;
      ThrowJs(env_, MakeError("InvalidTextureHandle", "a handle's fd " + std::to_string(fd) + " cannot be duplicated: " + ErrnoText(err)));
    }
    packet.fds.emplace_back(copy);
  }
  queue_.push_back(std::move(packet));
  UpdateWatch();
  return Napi::Boolean::New(env_, false);
}

Napi::Value ChannelWrap::SetReading(const Napi::CallbackInfo& info) {
  reading_ = info.Length() > 0 && info[0].ToBoolean();
  UpdateWatch();
  return env_.Undefined();
}

Napi::Value ChannelWrap::SetRef(const Napi::CallbackInfo& info) {
  if (!closed_) poll_.SetRef(info.Length() > 0 && info[0].ToBoolean());
  return env_.Undefined();
}

Napi::Value ChannelWrap::Close(const Napi::CallbackInfo& info) {
  CloseHandles();
  return env_.Undefined();
}

Napi::Value ChannelWrap::Peer(const Napi::CallbackInfo& info) {
  if (closed_) ThrowJs(env_, MakeError("ChannelClosed", "the channel is closed"));
  PeerCredentials cred = geyser::Unwrap(env_, GetPeerCredentials(fd_.get()));
  Napi::Object peer = Napi::Object::New(env_);
  peer.Set("pid", Napi::Number::New(env_, cred.pid));
  peer.Set("uid", Napi::Number::New(env_, cred.uid));
  peer.Set("gid", Napi::Number::New(env_, cred.gid));
  return peer;
}

Napi::Value ChannelWrap::Fd(const Napi::CallbackInfo& info) { return Napi::Number::New(env_, fd_.get()); }

void ChannelWrap::UpdateWatch() {
  if (closed_) return;
  int events = 0;
  if (!ended_ && reading_) events |= UV_READABLE;
  if (!ended_ && !queue_.empty()) events |= UV_WRITABLE;
  poll_.Watch(events);
}

void ChannelWrap::OnPoll(int status, int events) {
  Napi::HandleScope scope(env_);
  [[maybe_unused]] Napi::Object keep_alive = Value();  // a JS callback may close us; stay alive until we return
  if (status < 0) {
    End("ChannelClosed", std::string("the channel failed: ") + uv_strerror(status));
    return;
  }
  if ((events & UV_WRITABLE) != 0) FlushQueue();
  if ((events & UV_READABLE) != 0) ReadPackets();
}

void ChannelWrap::ReadPackets() {
  Packet packet;
  for (int i = 0; i < kPacketsPerWakeup && reading_ && !ended_ && !closed_; ++i) {
    auto outcome = RecvPacket(fd_.get(), scratch_.data(), max_bytes_, max_fds_, &packet);
    if (!outcome) {
      End(outcome.error().code, outcome.error().message);
      return;
    }
    if (outcome.value() == RecvOutcome::kWouldBlock) return;
    if (outcome.value() == RecvOutcome::kEndOfStream) {
      End("ChannelClosed", "the peer closed the channel");
      return;
    }
    Napi::String text = Napi::String::New(env_, packet.bytes);
    Napi::Array fds = Napi::Array::New(env_, packet.fds.size());
    for (uint32_t k = 0; k < packet.fds.size(); ++k) fds.Set(k, Napi::Number::New(env_, packet.fds[k].release()));
    CallJs(env_, Value(), on_packet_, *context_,
           {text, fds, Napi::Boolean::New(env_, packet.truncated_bytes), Napi::Boolean::New(env_, packet.truncated_fds)});
  }
}

void ChannelWrap::FlushQueue() {
  uint32_t sent = 0;
  while (!queue_.empty() && !closed_) {
    QueuedPacket& front = queue_.front();
    std::vector<int> fds;
    for (const UniqueFd& fd : front.fds) fds.push_back(fd.get());
    auto outcome = SendPacket(fd_.get(), front.bytes, fds);
    if (!outcome) {
      End(outcome.error().code, outcome.error().message);
      return;
    }
    if (outcome.value() == SendOutcome::kWouldBlock) break;
    queue_.pop_front();  // closes our duplicates: the kernel holds its own references now
    ++sent;
  }
  UpdateWatch();
  if (sent > 0 && !closed_) CallJs(env_, Value(), on_sent_, *context_, {Napi::Number::New(env_, sent)});
}

void ChannelWrap::End(const std::string& code, const std::string& message) {
  if (ended_ || closed_) return;
  ended_ = true;
  queue_.clear();
  UpdateWatch();
  CallJs(env_, Value(), on_end_, *context_, {Napi::String::New(env_, code), Napi::String::New(env_, message)});
}

}  // namespace geyser
