// LoopPoll: a uv_poll_t on the Node event loop watching one fd, owned by a C++ object whose
// lifetime is shorter than the handle's (uv_close finishes on a later loop turn). The handle lives
// in its own heap block that frees itself in the close callback; after Close() no callback fires.
#pragma once

#include <uv.h>

#include <functional>

namespace geyser {

class LoopPoll {
 public:
  // status < 0 is a libuv error; events is a mask of UV_READABLE / UV_WRITABLE.
  using Callback = std::function<void(int status, int events)>;

  LoopPoll() = default;
  LoopPoll(const LoopPoll&) = delete;
  LoopPoll& operator=(const LoopPoll&) = delete;
  ~LoopPoll() { Close(); }

  // Starts watching `fd` (not owned). Returns the libuv error code, 0 on success.
  int Open(uv_loop_t* loop, int fd, Callback callback);
  // Watches exactly `events` (0 stops watching without closing).
  void Watch(int events);
  // Whether the handle keeps the loop alive while it watches.
  void SetRef(bool ref);
  // Stops and releases the handle; the fd must be closed only after this.
  void Close();
  bool open() const { return block_ != nullptr; }

 private:
  struct Block {
    uv_poll_t handle;
    LoopPoll* owner;
  };
  static void OnEvent(uv_poll_t* handle, int status, int events);

  Block* block_ = nullptr;
  Callback callback_;
  int events_ = 0;
  bool ref_ = true;
};

}  // namespace geyser
