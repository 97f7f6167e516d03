#include "common/js_error.h"

#include <cstring>
#include <string>

namespace geyser {

std::string ErrnoText(int err) {
  const char* name = strerrorname_np(err);
  std::string text = std::strerror(err);
  if (name != nullptr) text += std::string(" (") + name + ")";
  return text;
}

Napi::Error ToJsError(Napi::Env env, const Error& error) {
  Napi::Error js = Napi::Error::New(env, error.message);
  js.Value().Set("geyserCode", Napi::String::New(env, error.code));
  if (!error.detail.empty()) js.Value().Set("detail", Napi::String::New(env, error.detail));
  return js;
}

void ThrowJs(Napi::Env env, const Error& error) { throw ToJsError(env, error); }

}  // namespace geyser
