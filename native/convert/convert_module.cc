// JS bindings of the pixel-format converters: a synchronous call, and an async one that splits the
// picture into bands of block rows and converts them on libuv's thread pool, so the JS thread (and
// the next frame's producer) keeps running while a frame converts. The RGBA filter kernels
// register through rgba_filters_binding.h.
#include <napi.h>

#include <algorithm>
#include <memory>
#include <string>

#include "common/js_error.h"
#include "common/memory_pins.h"
#include "common/modules.h"
#include "convert/rgba_filters_binding.h"
#include "convert/yuv420_kernel.h"

namespace geyser {

namespace {

// The most bands one call splits into: beyond libuv's pool size they would only queue.
constexpr int kMaxBands = 64;

struct ConvertArgs {
  Yuv420Image image;
  YuvCoefficients k;
};

Error Invalid(const std::string& message) { return MakeError("InvalidDescriptor", message); }

// (rgba: Uint8Array, width, height, yuv: Uint8Array, layout: 'i420' | 'nv12', k: Int32Array(9)).
// The TS wrapper validates first and names the user's fields; these checks only guard memory.
ConvertArgs ParseArgs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 6 || !info[0].IsTypedArray() || !info[3].IsTypedArray() || !info[5].IsTypedArray()) {
    ThrowJs(env, Invalid("rgbaToYuv420 native: expected (Uint8Array, width, height, Uint8Array, layout, Int32Array)"));
  }
  auto rgba = info[0].As<Napi::Uint8Array>();
  auto yuv = info[3].As<Napi::Uint8Array>();
  auto coefficients = info[5].As<Napi::Int32Array>();
  const int64_t width = info[1].As<Napi::Number>().Int64Value();
  const int64_t height = info[2].As<Napi::Number>().Int64Value();
  if (width < 1 || height < 1 || width > 65536 || height > 65536) ThrowJs(env, Invalid("rgbaToYuv420 native: size out of range"));
  const std::string layout = info[4].As<Napi::String>().Utf8Value();
  if (layout != "i420" && layout != "nv12") ThrowJs(env, Invalid("rgbaToYuv420 native: layout must be i420 or nv12"));
  const int w = static_cast<int>(width);
  const int h = static_cast<int>(height);
  if (rgba.ByteLength() < static_cast<size_t>(w) * h * 4) ThrowJs(env, Invalid("rgbaToYuv420 native: source smaller than width * height * 4"));
  if (yuv.ByteLength() != Yuv420Bytes(w, h)) ThrowJs(env, Invalid("rgbaToYuv420 native: target is not width x height 4:2:0 bytes"));
  if (coefficients.ElementLength() != 9) ThrowJs(env, Invalid("rgbaToYuv420 native: expected 9 coefficients"));
  const int32_t* c = coefficients.Data();
  ConvertArgs args{
      Yuv420Image{rgba.Data(), yuv.Data(), w, h, layout == "nv12" ? Yuv420Layout::kNv12 : Yuv420Layout::kI420},
      YuvCoefficients{c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]},
  };
  return args;
}

Napi::Value RgbaToYuv420(const Napi::CallbackInfo& info) {
  const ConvertArgs args = ParseArgs(info);
  ConvertRgbaToYuv420Rows(args.image, args.k, 0, Yuv420BlockRows(args.image.height));
  return info.Env().Undefined();
}

// One call's bands: the promise settles when the last band is done. Band completions run on the
// JS thread, so the count needs no lock. The buffers stay referenced (not collectable) meanwhile.
// The pins keep a mapped texture's addresses valid even if it is released (and its ArrayBuffer
// detached) while the bands run.
struct BandedJob {
  BandedJob(Napi::Env env, const Napi::CallbackInfo& info, const ConvertArgs& args)
      : deferred(Napi::Promise::Deferred::New(env)),
        source(Napi::Persistent(info[0].As<Napi::Object>())),
        target(Napi::Persistent(info[3].As<Napi::Object>())),
        sourcePin(args.image.rgba, static_cast<size_t>(args.image.width) * args.image.height * 4),
        targetPin(args.image.yuv, Yuv420Bytes(args.image.width, args.image.height)) {}
  Napi::Promise::Deferred deferred;
  Napi::ObjectReference source;
  Napi::ObjectReference target;
  MemoryPin sourcePin;
  MemoryPin targetPin;
  int pending = 0;
};

class BandWorker : public Napi::AsyncWorker {
 public:
  BandWorker(Napi::Env env, std::shared_ptr<BandedJob> job, const ConvertArgs& args, int first, int end)
      : Napi::AsyncWorker(env, "GeyserRgbaToYuv420"), job_(std::move(job)), args_(args), first_(first), end_(end) {}

  void Execute() override { ConvertRgbaToYuv420Rows(args_.image, args_.k, first_, end_); }

  void OnOK() override {
    if (--job_->pending == 0) job_->deferred.Resolve(Env().Undefined());
  }

 private:
  std::shared_ptr<BandedJob> job_;
  ConvertArgs args_;
  int first_;
  int end_;
};

// (..., bands): converts on the thread pool in `bands` pieces; returns a promise.
Napi::Value RgbaToYuv420Async(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const ConvertArgs args = ParseArgs(info);
  const int blockRows = Yuv420BlockRows(args.image.height);
  const int requested = info.Length() > 6 && info[6].IsNumber() ? info[6].As<Napi::Number>().Int32Value() : 1;
  const int bands = std::clamp(requested, 1, std::min(kMaxBands, blockRows));
  auto job = std::make_shared<BandedJob>(env, info, args);
  job->pending = bands;
  for (int band = 0; band < bands; band++) {
    const int first = static_cast<int>(static_cast<int64_t>(blockRows) * band / bands);
    const int end = static_cast<int>(static_cast<int64_t>(blockRows) * (band + 1) / bands);
    (new BandWorker(env, job, args, first, end))->Queue();
  }
  return job->deferred.Promise();
}

}  // namespace

void InitConvert(Napi::Env env, Napi::Object exports) {
  exports.Set("rgbaToYuv420", Napi::Function::New(env, RgbaToYuv420, "rgbaToYuv420"));
  exports.Set("rgbaToYuv420Async", Napi::Function::New(env, RgbaToYuv420Async, "rgbaToYuv420Async"));
  RegisterRgbaFilters(env, exports);
}

}  // namespace geyser
