// fd helpers shared by every backend's handle release path.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "common/js_error.h"
#include "common/modules.h"

namespace geyser {
namespace {

int FdArg(const Napi::CallbackInfo& info, size_t index) {
  if (info.Length() <= index || !info[index].IsNumber()) {
    ThrowJs(info.Env(), MakeError("Other", "expected an fd number as argument " + std::to_string(index)));
  }
  return info[index].As<Napi::Number>().Int32Value();
}

// closeFd(fd): closes an fd that a released handle owned. EBADF becomes InvalidTextureHandle.
Napi::Value CloseFd(const Napi::CallbackInfo& info) {
  int fd = FdArg(info, 0);
  if (::close(fd) != 0) {
    int err = errno;
    ThrowJs(info.Env(), MakeError(err == EBADF ? "InvalidTextureHandle" : "Other",
                                  "closing fd " + std::to_string(fd) + " failed: " + ErrnoText(err)));
  }
  return info.Env().Undefined();
}

// dupFd(fd): a new close-on-exec fd for the same open file (each exported handle owns its own).
Napi::Value DupFd(const Napi::CallbackInfo& info) {
  int fd = FdArg(info, 0);
  int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (copy < 0) {
    int err = errno;
    ThrowJs(info.Env(), MakeError(err == EBADF ? "InvalidTextureHandle" : "Other",
                                  "duplicating fd " + std::to_string(fd) + " failed: " + ErrnoText(err)));
  }
  return Napi::Number::New(info.Env(), copy);
}

// isFdOpen(fd): whether fd names an open file in this process.
Napi::Value IsFdOpen(const Napi::CallbackInfo& info) {
  int fd = FdArg(info, 0);
  return Napi::Boolean::New(info.Env(), ::fcntl(fd, F_GETFD) != -1);
}

// growSendBuffer(fd, bytes): asks for a socket send buffer of `bytes` (the kernel caps it at
// net.core.wmem_max) and returns the size granted. A stream that carries whole video frames then
// takes a frame in one write, instead of a write per few hundred KiB and a wakeup of each side.
Napi::Value GrowSendBuffer(const Napi::CallbackInfo& info) {
  int fd = FdArg(info, 0);
  int wanted = info.Length() > 1 && info[1].IsNumber() ? info[1].As<Napi::Number>().Int32Value() : 0;
  int current = 0;
  socklen_t length = sizeof(current);
  if (::getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &current, &length) != 0) {
    ThrowJs(info.Env(), MakeError("Other", "reading the send buffer size of fd " + std::to_string(fd) + " failed: " + ErrnoText(errno)));
  }
  // Linux reports twice the requested size (bookkeeping included): compare like with like.
  if (wanted > current / 2 && ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &wanted, sizeof(wanted)) == 0) {
    length = sizeof(current);
    ::getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &current, &length);
  }
  return Napi::Number::New(info.Env(), current);
}

}  // namespace

void InitCommon(Napi::Env env, Napi::Object exports) {
  exports.Set("closeFd", Napi::Function::New(env, CloseFd, "closeFd"));
  exports.Set("dupFd", Napi::Function::New(env, DupFd, "dupFd"));
  exports.Set("isFdOpen", Napi::Function::New(env, IsFdOpen, "isFdOpen"));
  exports.Set("growSendBuffer", Napi::Function::New(env, GrowSendBuffer, "growSendBuffer"));
}

}  // namespace geyser
