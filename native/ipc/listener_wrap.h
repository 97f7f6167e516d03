// ListenerWrap: the native half of a ShareChannelServer. Owns the listening socket (bound 0600 by
// CreateListener), accepts on the Node loop via uv_poll_t, and checks each peer's SO_PEERCRED: a
// peer running as another uid is closed at once and reported, never handed to JS as a channel.
//
// JS: new ListenerWrap(path, backlog, onAccept, onReject, onError)
//   onAccept(fd, pid, uid, gid): a same-uid peer; JS owns `fd` (non-blocking, close-on-exec).
//   onReject(pid, uid, gid): a peer of another uid was refused (its connection is already closed).
//   onError(code, message): accept() failed (e.g. EMFILE); accepting pauses until setAccepting(true).
// Methods: setAccepting(bool), setRef(bool), close() (idempotent; removes the socket file).
#pragma once

#include <napi.h>
#include <sys/types.h>

#include <string>

#include "common/unique_fd.h"
#include "ipc/loop_poll.h"

namespace geyser {

class ListenerWrap : public Napi::ObjectWrap<ListenerWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit ListenerWrap(const Napi::CallbackInfo& info);
  ~ListenerWrap() override;

 private:
  Napi::Value SetAccepting(const Napi::CallbackInfo& info);
  Napi::Value SetRef(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);

  void OnPoll(int status, int events);
  void AcceptPending();
  void CloseHandles();
  static void CleanupHook(void* self);

  Napi::Env env_;
  std::string path_;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
  UniqueFd fd_;
  LoopPoll poll_;
  bool accepting_ = true;
  bool closed_ = false;
  bool self_referenced_ = false;
  bool in_cleanup_hook_ = false;
  Napi::FunctionReference on_accept_;
  Napi::FunctionReference on_reject_;
  Napi::FunctionReference on_error_;
  std::unique_ptr<Napi::AsyncContext> context_;
};

}  // namespace geyser
