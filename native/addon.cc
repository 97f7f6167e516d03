// Registers the addon's exports; every concept lives in its own folder under native/.
#include <napi.h>

#include "common/modules.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  geyser::InitCommon(env, exports);
  geyser::InitHost(env, exports);
  geyser::InitIpc(env, exports);
  geyser::InitVulkan(env, exports);
  geyser::InitMetal(env, exports);
  geyser::InitConvert(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(geyser, Init)
