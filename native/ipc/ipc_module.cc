// Registers the ShareChannel exports: SCM_RIGHTS channels over AF_UNIX SOCK_SEQPACKET sockets.
// The TS layer (src/core/channel.ts) wraps these; nothing here is public API.
#include "common/js_error.h"
#include "common/modules.h"
#include "ipc/channel_wrap.h"
#include "ipc/connect_worker.h"
#include "ipc/listener_wrap.h"
#include "ipc/socket_ops.h"

namespace geyser {
namespace {

// socketPair() -> [fd, fd]: a connected, non-blocking, close-on-exec pair; the caller owns both.
Napi::Value SocketPairJs(const Napi::CallbackInfo& info) {
  auto pair = Unwrap(info.Env(), SocketPair());
  Napi::Array fds = Napi::Array::New(info.Env(), 2);
  fds.Set(0u, Napi::Number::New(info.Env(), pair.first.release()));
  fds.Set(1u, Napi::Number::New(info.Env(), pair.second.release()));
  return fds;
}

}  // namespace

void InitIpc(Napi::Env env, Napi::Object exports) {
  Napi::Object ipc = Napi::Object::New(env);
  ipc.Set("ChannelWrap", ChannelWrap::Define(env));
  ipc.Set("ListenerWrap", ListenerWrap::Define(env));
  ipc.Set("socketPair", Napi::Function::New(env, SocketPairJs, "socketPair"));
  ipc.Set("connect", Napi::Function::New(env, Connect, "connect"));
  ipc.Set("maxFdsPerPacket", Napi::Number::New(env, kMaxFdsPerPacket));
  exports.Set("ipc", ipc);
}

}  // namespace geyser
