#include "common/js_error.h"

#include <cstring>
#include <string>

namespace geyser {

std::string ErrnoText(int err) {
  std::string text = std::strerror(err);
  // The errno name (ENOENT) comes from glibc 2.32+; other C libraries (MinGW's, Apple's) have no
  // strerrorname_np, and the text alone still says what failed.
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
  const char* name = strerrorname_np(err);
  if (name != nullptr) text += std::string(" (") + name + ")";
#endif
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
