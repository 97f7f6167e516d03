// ConnectWorker: connect() to a listening ShareChannel path on the libuv thread pool, because an
// AF_UNIX connect blocks while the server's backlog is full. Resolves with the connected fd (the
// caller owns it) or rejects with a geyserCode-tagged error.
#pragma once

#include <napi.h>

#include <optional>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"

namespace geyser {

class ConnectWorker : public Napi::AsyncWorker {
 public:
  ConnectWorker(Napi::Env env, std::string path, int timeout_ms);
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override;  // off the JS thread: plain POSIX only
  void OnOK() override;

 private:
  Napi::Promise::Deferred deferred_;
  std::string path_;
  int timeout_ms_;
  std::optional<Result<UniqueFd>> result_;
};

// connect(path, timeoutMs) -> Promise<number>
Napi::Value Connect(const Napi::CallbackInfo& info);

}  // namespace geyser
