#include "ipc/loop_poll.h"

namespace geyser {

int LoopPoll::Open(uv_loop_t* loop, int fd, Callback callback) {
  auto* block = new Block{};
  int status = uv_poll_init(loop, &block->handle, fd);
  if (status != 0) {
    delete block;
    return status;
  }
  block->owner = this;
  block->handle.data = block;
  block_ = block;
  callback_ = std::move(callback);
  events_ = 0;
  SetRef(ref_);
  return 0;
}

void LoopPoll::Watch(int events) {
  if (block_ == nullptr || events == events_) return;
  events_ = events;
  if (events == 0) {
    uv_poll_stop(&block_->handle);
  } else {
    uv_poll_start(&block_->handle, events, OnEvent);
  }
}

void LoopPoll::SetRef(bool ref) {
  ref_ = ref;
  if (block_ == nullptr) return;
  if (ref) {
    uv_ref(reinterpret_cast<uv_handle_t*>(&block_->handle));
  } else {
    uv_unref(reinterpret_cast<uv_handle_t*>(&block_->handle));
  }
}

void LoopPoll::Close() {
  if (block_ == nullptr) return;
  Block* block = block_;
  block_ = nullptr;
  block->owner = nullptr;
  uv_poll_stop(&block->handle);  // removes the fd from epoll now, so the caller may close it
  uv_close(reinterpret_cast<uv_handle_t*>(&block->handle),
           [](uv_handle_t* handle) { delete static_cast<Block*>(handle->data); });
}

void LoopPoll::OnEvent(uv_poll_t* handle, int status, int events) {
  auto* block = static_cast<Block*>(handle->data);
  if (block->owner != nullptr) block->owner->callback_(status, events);
}

}  // namespace geyser
