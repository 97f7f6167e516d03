// Result<T>: how internal native code reports failure. Nothing below the N-API layer throws or
// aborts; every failure carries a GeyserError code (the TS union), a message that names what was
// wrong, and for Vulkan the VkResult name. The binding layer turns a failed Result into a JS error.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace geyser {

struct Error {
  std::string code;     // e.g. "InvalidTextureHandle", "VulkanApiError", "OperationNotSupported"
  std::string message;  // human text naming the field or object at fault
  std::string detail;   // optional: VkResult name, errno name
};

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT(implicit)
  Result(Error error) : error_(std::move(error)) {}      // NOLINT(implicit)
  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T&& take() { return std::move(*value_); }
  const Error& error() const { return error_; }

 private:
  std::optional<T> value_;
  Error error_;
};

// Result<void> equivalent.
struct Ok {};
using Status = Result<Ok>;

inline Error MakeError(std::string code, std::string message, std::string detail = {}) {
  return Error{std::move(code), std::move(message), std::move(detail)};
}

// "open: No such file or directory (ENOENT)" style text for an errno value.
std::string ErrnoText(int err);

}  // namespace geyser
