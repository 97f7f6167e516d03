#include "ipc/connect_worker.h"

#include "common/js_error.h"
#include "ipc/socket_ops.h"

namespace geyser {

ConnectWorker::ConnectWorker(Napi::Env env, std::string path, int timeout_ms)
    : Napi::AsyncWorker(env, "GeyserShareChannelConnect"),
      deferred_(Napi::Promise::Deferred::New(env)),
      path_(std::move(path)),
      timeout_ms_(timeout_ms) {}

void ConnectWorker::Execute() { result_.emplace(ConnectBlocking(path_, timeout_ms_)); }

void ConnectWorker::OnOK() {
  Napi::Env env = Env();
  Result<UniqueFd>& result = *result_;
  if (!result) {
    deferred_.Reject(ToJsError(env, result.error()).Value());
    return;
  }
  deferred_.Resolve(Napi::Number::New(env, result.value().release()));
}

Napi::Value Connect(const Napi::CallbackInfo& info) {
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsNumber()) {
    ThrowJs(info.Env(), MakeError("Other", "connect: expected (path: string, timeoutMs: number)"));
  }
  auto* worker = new ConnectWorker(info.Env(), info[0].As<Napi::String>().Utf8Value(), info[1].As<Napi::Number>().Int32Value());
  Napi::Promise promise = worker->Promise();
  worker->Queue();  // deletes itself after OnOK
  return promise;
}

}  // namespace geyser
