#include "convert/rgba_filters_binding.h"

#include <cstdint>
#include <string>

#include "common/js_error.h"
#include "convert/box_blur_kernel.h"
#include "convert/grayscale_kernel.h"
#include "convert/scale_kernel.h"

namespace geyser {

namespace {

[[noreturn]] void ThrowInvalid(Napi::Env env, const std::string& message) { ThrowJs(env, MakeError("InvalidDescriptor", message)); }

Napi::Uint8Array BytesAt(const Napi::CallbackInfo& info, size_t index, const char* what) {
  if (info.Length() <= index || !info[index].IsTypedArray() || info[index].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    ThrowInvalid(info.Env(), std::string(what) + ": expected a Uint8Array as argument " + std::to_string(index + 1));
  }
  return info[index].As<Napi::Uint8Array>();
}

Napi::Int32Array IntsAt(const Napi::CallbackInfo& info, size_t index, size_t length, const char* what) {
  if (info.Length() <= index || !info[index].IsTypedArray() || info[index].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
      info[index].As<Napi::Int32Array>().ElementLength() != length) {
    ThrowInvalid(info.Env(), std::string(what) + ": expected an Int32Array of " + std::to_string(length) + " as argument " + std::to_string(index + 1));
  }
  return info[index].As<Napi::Int32Array>();
}

int IntAt(const Napi::CallbackInfo& info, size_t index, int min, int max, const char* what) {
  if (info.Length() <= index || !info[index].IsNumber()) ThrowInvalid(info.Env(), std::string(what) + ": expected a number as argument " + std::to_string(index + 1));
  const int64_t value = info[index].As<Napi::Number>().Int64Value();
  if (value < min || value > max) ThrowInvalid(info.Env(), std::string(what) + ": argument " + std::to_string(index + 1) + " out of range");
  return static_cast<int>(value);
}

// (source, target): RGBA pixels of equal length, possibly the same array.
Napi::Value Grayscale(const Napi::CallbackInfo& info) {
  auto source = BytesAt(info, 0, "grayscaleRgba");
  auto target = BytesAt(info, 1, "grayscaleRgba");
  if (source.ByteLength() != target.ByteLength() || source.ByteLength() % 4 != 0) {
    ThrowInvalid(info.Env(), "grayscaleRgba: source and target must be RGBA of the same length");
  }
  GrayscaleRgba(source.Data(), target.Data(), source.ByteLength() / 4);
  return info.Env().Undefined();
}

// (source, target, width, height, radius): same-size RGBA images, possibly the same array.
Napi::Value BoxBlur(const Napi::CallbackInfo& info) {
  auto source = BytesAt(info, 0, "boxBlurRgba");
  auto target = BytesAt(info, 1, "boxBlurRgba");
  const int width = IntAt(info, 2, 1, 65536, "boxBlurRgba");
  const int height = IntAt(info, 3, 1, 65536, "boxBlurRgba");
  const int radius = IntAt(info, 4, 1, 255, "boxBlurRgba");
  const size_t bytes = static_cast<size_t>(width) * height * 4;
  if (source.ByteLength() != bytes || target.ByteLength() != bytes) ThrowInvalid(info.Env(), "boxBlurRgba: images are not width x height RGBA");
  BoxBlurRgba(source.Data(), target.Data(), width, height, radius);
  return info.Env().Undefined();
}

// (source, sourceWidth, sourceHeight, target, targetWidth, targetHeight, rect Int32Array(4),
//  xTaps Int32Array(3 * rect width), yTaps Int32Array(3 * rect height)): taps as first | second | weight.
Napi::Value ScaleBilinear(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto source = BytesAt(info, 0, "scaleBilinearRgba");
  const int sourceWidth = IntAt(info, 1, 1, 65536, "scaleBilinearRgba");
  const int sourceHeight = IntAt(info, 2, 1, 65536, "scaleBilinearRgba");
  auto target = BytesAt(info, 3, "scaleBilinearRgba");
  const int targetWidth = IntAt(info, 4, 1, 65536, "scaleBilinearRgba");
  const int targetHeight = IntAt(info, 5, 1, 65536, "scaleBilinearRgba");
  auto rect = IntsAt(info, 6, 4, "scaleBilinearRgba");
  const int32_t* r = rect.Data();
  if (r[0] < 0 || r[1] < 0 || r[2] < 1 || r[3] < 1 || r[0] + static_cast<int64_t>(r[2]) > targetWidth || r[1] + static_cast<int64_t>(r[3]) > targetHeight) {
    ThrowInvalid(env, "scaleBilinearRgba: rect outside the target");
  }
  if (source.ByteLength() != static_cast<size_t>(sourceWidth) * sourceHeight * 4 || target.ByteLength() != static_cast<size_t>(targetWidth) * targetHeight * 4) {
    ThrowInvalid(env, "scaleBilinearRgba: images are not width x height RGBA");
  }
  auto xTaps = IntsAt(info, 7, static_cast<size_t>(r[2]) * 3, "scaleBilinearRgba");
  auto yTaps = IntsAt(info, 8, static_cast<size_t>(r[3]) * 3, "scaleBilinearRgba");
  // Every tap must index the source and weigh 0..2048, so a bad table cannot read out of bounds.
  auto checkTaps = [&](const int32_t* taps, int count, int size) {
    for (int i = 0; i < 2 * count; i++) {
      if (taps[i] < 0 || taps[i] >= size) ThrowInvalid(env, "scaleBilinearRgba: a tap is outside the source");
    }
    for (int i = 2 * count; i < 3 * count; i++) {
      if (taps[i] < 0 || taps[i] > 2048) ThrowInvalid(env, "scaleBilinearRgba: a tap weight is outside 0..2048");
    }
  };
  checkTaps(xTaps.Data(), r[2], sourceWidth);
  checkTaps(yTaps.Data(), r[3], sourceHeight);
  const int32_t* x = xTaps.Data();
  const int32_t* y = yTaps.Data();
  ScaleBilinearRgba(ScaleJob{source.Data(), sourceWidth, target.Data(), targetWidth, r[0], r[1], r[2], r[3],
                             AxisTaps{x, x + r[2], x + 2 * r[2]}, AxisTaps{y, y + r[3], y + 2 * r[3]}});
  return env.Undefined();
}

}  // namespace

void RegisterRgbaFilters(Napi::Env env, Napi::Object exports) {
  exports.Set("grayscaleRgba", Napi::Function::New(env, Grayscale, "grayscaleRgba"));
  exports.Set("boxBlurRgba", Napi::Function::New(env, BoxBlur, "boxBlurRgba"));
  exports.Set("scaleBilinearRgba", Napi::Function::New(env, ScaleBilinear, "scaleBilinearRgba"));
}

}  // namespace geyser
