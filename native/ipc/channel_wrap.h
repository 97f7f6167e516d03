// ChannelWrap: the native half of a ShareChannel. Owns one non-blocking SOCK_SEQPACKET socket,
// watches it with a uv_poll_t on the Node loop, sends packets (queueing them, with duplicated fds,
// when the socket would block) and hands each received packet to JS. Envelope parsing, the receive
// queue and its bound live in TS (src/core/channel*.ts); this layer moves bytes and fds only.
//
// JS: new ChannelWrap(fd, maxBytes, maxFds, onPacket, onSent, onEnd)
//   onPacket(text, fds, truncatedBytes, truncatedFds): one packet; JS owns `fds` from here on.
//   onSent(count): `count` queued packets were taken by the kernel, oldest first.
//   onEnd(code, message): the stream ended (code 'ChannelClosed') or failed; reading stops, queued
//   sends are dropped (their duplicated fds closed). Fires at most once.
// Methods: send(text, fds) -> true when the kernel took it now, false when queued;
//   setReading(bool), setRef(bool), close() (idempotent; closes the socket now), peer(), fd().
#pragma once

#include <napi.h>

#include <deque>
#include <string>
#include <vector>

#include "common/unique_fd.h"
#include "ipc/loop_poll.h"

namespace geyser {

class ChannelWrap : public Napi::ObjectWrap<ChannelWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit ChannelWrap(const Napi::CallbackInfo& info);
  ~ChannelWrap() override;

 private:
  struct QueuedPacket {
    std::string bytes;
    std::vector<UniqueFd> fds;  // duplicates: the caller may release its handles once send() returns
  };

  Napi::Value Send(const Napi::CallbackInfo& info);
  Napi::Value SetReading(const Napi::CallbackInfo& info);
  Napi::Value SetRef(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value Peer(const Napi::CallbackInfo& info);
  Napi::Value Fd(const Napi::CallbackInfo& info);

  void OnPoll(int status, int events);
  void ReadPackets();
  void FlushQueue();
  void End(const std::string& code, const std::string& message);
  void UpdateWatch();
  void CloseHandles();
  static void CleanupHook(void* self);

  Napi::Env env_;
  UniqueFd fd_;
  LoopPoll poll_;
  std::deque<QueuedPacket> queue_;
  std::vector<char> scratch_;
  size_t max_bytes_ = 0;
  size_t max_fds_ = 0;
  bool reading_ = true;
  bool ended_ = false;
  bool closed_ = false;
  bool self_referenced_ = false;
  bool in_cleanup_hook_ = false;
  Napi::FunctionReference on_packet_;
  Napi::FunctionReference on_sent_;
  Napi::FunctionReference on_end_;
  std::unique_ptr<Napi::AsyncContext> context_;
};

}  // namespace geyser
