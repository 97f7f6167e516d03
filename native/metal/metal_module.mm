// The Metal backend (macOS): IOSurface-backed MTLTextures shared by global IOSurface ID, and
// MTLSharedEvent timelines. Compiled only on macOS (binding.gyp adds .mm files there).
//
// Objects live in per-device tables and JS holds integer ids, so no Objective-C object crosses
// into JS and every release is explicit. Errors use the same Result/ThrowJs path as the other
// backends, with MetalApiError / MetalInitializationError codes.
#ifdef __APPLE__
#import <Foundation/Foundation.h>
#import <IOSurface/IOSurface.h>
#import <Metal/Metal.h>

#include <napi.h>

#include <map>
#include <mutex>
#include <string>

#include "common/js_error.h"
#include "common/modules.h"
#include "metal/metal_formats.h"

namespace geyser::metal {
namespace {

struct TextureEntry {
  IOSurfaceRef surface = nullptr;  // retained
  id<MTLTexture> texture = nil;
  unsigned bytesPerElement = 0;
};

MTLTextureUsage UsageFromBits(uint32_t bits) {
  // Bits follow the TS order: copy-src 1, copy-dst 2, texture-binding 4, render-attachment 8, storage 16.
  MTLTextureUsage usage = MTLTextureUsageShaderRead;
  if (bits & 8) usage |= MTLTextureUsageRenderTarget;
  if (bits & 16) usage |= MTLTextureUsageShaderWrite;
  return usage;
}

class MetalDevice : public Napi::ObjectWrap<MetalDevice> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "MetalDevice",
                       {InstanceMethod("info", &MetalDevice::Info),
                        InstanceMethod("createTexture", &MetalDevice::CreateTexture),
                        InstanceMethod("importTexture", &MetalDevice::ImportTexture),
                        InstanceMethod("writeTexture", &MetalDevice::WriteTexture),
                        InstanceMethod("readTexture", &MetalDevice::ReadTexture),
                        InstanceMethod("releaseTexture", &MetalDevice::ReleaseTexture),
                        InstanceMethod("createEvent", &MetalDevice::CreateEvent),
                        InstanceMethod("signalEvent", &MetalDevice::SignalEvent),
                        InstanceMethod("eventValue", &MetalDevice::EventValue),
                        InstanceMethod("waitEvent", &MetalDevice::WaitEvent),
                        InstanceMethod("releaseEvent", &MetalDevice::ReleaseEvent),
                        InstanceMethod("dispose", &MetalDevice::Dispose)});
  }

  explicit MetalDevice(const Napi::CallbackInfo& info) : Napi::ObjectWrap<MetalDevice>(info) {
    uint32_t index = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Uint32Value() : 0;
    NSArray<id<MTLDevice>>* devices = MTLCopyAllDevices();
    if (devices.count == 0) ThrowJs(info.Env(), MakeError("MetalInitializationError", "no Metal device on this machine"));
    if (index >= devices.count) {
      ThrowJs(info.Env(), MakeError("MetalInitializationError", "Metal device index " + std::to_string(index) + " is out of range (" +
                                                                    std::to_string(devices.count) + " devices)"));
    }
    device_ = devices[index];
    queue_ = [device_ newCommandQueue];
    listener_ = [[MTLSharedEventListener alloc] init];
  }

  ~MetalDevice() override { CloseAll(); }

 private:
  Napi::Value Info(const Napi::CallbackInfo& info) {
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("name", std::string(device_.name.UTF8String));
    out.Set("registryId", std::to_string(device_.registryID));
    out.Set("lowPower", device_.lowPower);
    out.Set("unifiedMemory", device_.hasUnifiedMemory);
    return out;
  }

  Napi::Value CreateTexture(const Napi::CallbackInfo& info) {
    Napi::Object d = info[0].As<Napi::Object>();
    uint32_t width = d.Get("width").As<Napi::Number>().Uint32Value();
    uint32_t height = d.Get("height").As<Napi::Number>().Uint32Value();
    std::string format = d.Get("format").As<Napi::String>();
    MetalFormat mf = MetalFormatFor(format, device_);
    if (mf.pixelFormat == MTLPixelFormatInvalid || format.rfind("depth", 0) == 0) {
      ThrowJs(info.Env(), MakeError("FormatNotSupported", "format " + format + " cannot back an IOSurface on Metal"));
    }
    size_t bytesPerRow = IOSurfaceAlignProperty(kIOSurfaceBytesPerRow, width * mf.bytesPerElement);
    NSMutableDictionary* props = [@{
      (id)kIOSurfaceWidth : @(width),
      (id)kIOSurfaceHeight : @(height),
      (id)kIOSurfaceBytesPerElement : @(mf.bytesPerElement),
      (id)kIOSurfaceBytesPerRow : @(bytesPerRow),
      (id)kIOSurfaceAllocSize : @(bytesPerRow * height),
    } mutableCopy];
    if (mf.fourCC != 0) props[(id)kIOSurfacePixelFormat] = @(mf.fourCC);
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
    // A global surface can be looked up by ID from another process (the seed's io_surface_id).
    props[(id)kIOSurfaceIsGlobal] = @YES;
#pragma clang diagnostic pop
    IOSurfaceRef surface = IOSurfaceCreate((__bridge CFDictionaryRef)props);
    if (surface == nullptr) ThrowJs(info.Env(), MakeError("MetalApiError", "IOSurfaceCreate failed for " + format));
    uint32_t id = Adopt(info.Env(), surface, width, height, mf, d.Get("usageBits").As<Napi::Number>().Uint32Value());
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("id", id);
    out.Set("ioSurfaceId", IOSurfaceGetID(surface));
    return out;
  }

  Napi::Value ImportTexture(const Napi::CallbackInfo& info) {
    Napi::Object d = info[0].As<Napi::Object>();
    uint32_t surfaceId = d.Get("ioSurfaceId").As<Napi::Number>().Uint32Value();
    uint32_t width = d.Get("width").As<Napi::Number>().Uint32Value();
    uint32_t height = d.Get("height").As<Napi::Number>().Uint32Value();
    std::string format = d.Get("format").As<Napi::String>();
    MetalFormat mf = MetalFormatFor(format, device_);
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
    IOSurfaceRef surface = IOSurfaceLookup(surfaceId);
#pragma clang diagnostic pop
    if (surface == nullptr) {
      ThrowJs(info.Env(), MakeError("InvalidTextureHandle", "no global IOSurface with id " + std::to_string(surfaceId)));
    }
    if (IOSurfaceGetWidth(surface) != width || IOSurfaceGetHeight(surface) != height ||
        IOSurfaceGetBytesPerElement(surface) != mf.bytesPerElement) {
      CFRelease(surface);
      ThrowJs(info.Env(), MakeError("InvalidTextureHandle", "IOSurface " + std::to_string(surfaceId) + " is " +
                                                             std::to_string(IOSurfaceGetWidth(surface)) + "x" +
                                                             std::to_string(IOSurfaceGetHeight(surface)) +
                                                             ", not the descriptor's " + std::to_string(width) + "x" +
                                                             std::to_string(height) + " " + format));
    }
    uint32_t id = Adopt(info.Env(), surface, width, height, mf, d.Get("usageBits").As<Napi::Number>().Uint32Value());
    return Napi::Number::New(info.Env(), id);
  }

  uint32_t Adopt(Napi::Env env, IOSurfaceRef surface, uint32_t width, uint32_t height, const MetalFormat& mf, uint32_t usageBits) {
    MTLTextureDescriptor* desc = [MTLTextureDescriptor texture2DDescriptorWithPixelFormat:mf.pixelFormat
                                                                                     width:width
                                                                                    height:height
                                                                                 mipmapped:NO];
    desc.usage = UsageFromBits(usageBits);
    desc.storageMode = device_.hasUnifiedMemory ? MTLStorageModeShared : MTLStorageModeManaged;
    id<MTLTexture> texture = [device_ newTextureWithDescriptor:desc iosurface:surface plane:0];
    if (texture == nil) {
      CFRelease(surface);
      ThrowJs(env, MakeError("MetalApiError", "newTextureWithDescriptor:iosurface: returned nil"));
    }
    std::lock_guard<std::mutex> lock(mutex_);
    uint32_t id = nextId_++;
    textures_[id] = TextureEntry{surface, texture, mf.bytesPerElement};
    return id;
  }

  TextureEntry& Texture(Napi::Env env, const Napi::Value& value) {
    uint32_t id = value.As<Napi::Number>().Uint32Value();
    auto found = textures_.find(id);
    if (found == textures_.end()) ThrowJs(env, MakeError("Released", "Metal texture " + std::to_string(id) + " has been released"));
    return found->second;
  }

  // CPU copies go through the IOSurface lock, row by row (the surface's rows may be padded).
  Napi::Value WriteTexture(const Napi::CallbackInfo& info) {
    std::lock_guard<std::mutex> lock(mutex_);
    TextureEntry& entry = Texture(info.Env(), info[0]);
    Napi::Uint8Array data = info[1].As<Napi::Uint8Array>();
    size_t rowBytes = IOSurfaceGetWidth(entry.surface) * entry.bytesPerElement;
    size_t height = IOSurfaceGetHeight(entry.surface);
    if (data.ByteLength() != rowBytes * height) {
      ThrowJs(info.Env(), MakeError("InvalidDescriptor", "expected " + std::to_string(rowBytes * height) + " bytes, received " +
                                                             std::to_string(data.ByteLength())));
    }
    IOSurfaceLock(entry.surface, 0, nullptr);
    auto* base = static_cast<uint8_t*>(IOSurfaceGetBaseAddress(entry.surface));
    size_t stride = IOSurfaceGetBytesPerRow(entry.surface);
    for (size_t y = 0; y < height; ++y) memcpy(base + y * stride, data.Data() + y * rowBytes, rowBytes);
    IOSurfaceUnlock(entry.surface, 0, nullptr);
    return info.Env().Undefined();
  }

  Napi::Value ReadTexture(const Napi::CallbackInfo& info) {
    std::lock_guard<std::mutex> lock(mutex_);
    TextureEntry& entry = Texture(info.Env(), info[0]);
    size_t rowBytes = IOSurfaceGetWidth(entry.surface) * entry.bytesPerElement;
    size_t height = IOSurfaceGetHeight(entry.surface);
    Napi::Uint8Array out = Napi::Uint8Array::New(info.Env(), rowBytes * height);
    IOSurfaceLock(entry.surface, kIOSurfaceLockReadOnly, nullptr);
    auto* base = static_cast<const uint8_t*>(IOSurfaceGetBaseAddress(entry.surface));
    size_t stride = IOSurfaceGetBytesPerRow(entry.surface);
    for (size_t y = 0; y < height; ++y) memcpy(out.Data() + y * rowBytes, base + y * stride, rowBytes);
    IOSurfaceUnlock(entry.surface, kIOSurfaceLockReadOnly, nullptr);
    return out;
  }

  Napi::Value ReleaseTexture(const Napi::CallbackInfo& info) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = textures_.find(info[0].As<Napi::Number>().Uint32Value());
    if (found != textures_.end()) {
      found->second.texture = nil;
      CFRelease(found->second.surface);
      textures_.erase(found);
    }
    return info.Env().Undefined();
  }

  Napi::Value CreateEvent(const Napi::CallbackInfo& info) {
    id<MTLSharedEvent> event = [device_ newSharedEvent];
    if (event == nil) ThrowJs(info.Env(), MakeError("MetalApiError", "newSharedEvent returned nil"));
    if (info.Length() > 0 && info[0].IsNumber()) event.signaledValue = info[0].As<Napi::Number>().Int64Value();
    std::lock_guard<std::mutex> lock(mutex_);
    uint32_t id = nextId_++;
    events_[id] = event;
    return Napi::Number::New(info.Env(), id);
  }

  id<MTLSharedEvent> Event(Napi::Env env, const Napi::Value& value) {
    auto found = events_.find(value.As<Napi::Number>().Uint32Value());
    if (found == events_.end()) ThrowJs(env, MakeError("Released", "Metal shared event has been released"));
    return found->second;
  }

  Napi::Value SignalEvent(const Napi::CallbackInfo& info) {
    std::lock_guard<std::mutex> lock(mutex_);
    Event(info.Env(), info[0]).signaledValue = info[1].As<Napi::Number>().Int64Value();
    return info.Env().Undefined();
  }

  Napi::Value EventValue(const Napi::CallbackInfo& info) {
    std::lock_guard<std::mutex> lock(mutex_);
    return Napi::Number::New(info.Env(), static_cast<double>(Event(info.Env(), info[0]).signaledValue));
  }

  // waitEvent(id, value, timeoutMs) -> Promise<boolean>: true when reached, false on timeout.
  Napi::Value WaitEvent(const Napi::CallbackInfo& info) {
    id<MTLSharedEvent> event;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      event = Event(info.Env(), info[0]);
    }
    uint64_t value = info[1].As<Napi::Number>().Int64Value();
    double timeoutMs = info[2].As<Napi::Number>().DoubleValue();
    auto deferred = std::make_shared<Napi::Promise::Deferred>(info.Env());
    auto tsfn = std::make_shared<Napi::ThreadSafeFunction>(Napi::ThreadSafeFunction::New(
        info.Env(), Napi::Function::New(info.Env(), [](const Napi::CallbackInfo&) {}), "geyser-metal-wait", 0, 1));
    dispatch_semaphore_t done = dispatch_semaphore_create(0);
    [event notifyListener:listener_ atValue:value block:^(id<MTLSharedEvent>, uint64_t) { dispatch_semaphore_signal(done); }];
    dispatch_async(dispatch_get_global_queue(QOS_CLASS_USER_INITIATED, 0), ^{
      dispatch_time_t until = timeoutMs < 0 ? DISPATCH_TIME_FOREVER
                                            : dispatch_time(DISPATCH_TIME_NOW, static_cast<int64_t>(timeoutMs * 1e6));
      bool reached = dispatch_semaphore_wait(done, until) == 0;
      tsfn->BlockingCall([deferred, reached](Napi::Env env, Napi::Function) {
        deferred->Resolve(Napi::Boolean::New(env, reached));
      });
      tsfn->Release();
    });
    return deferred->Promise();
  }

  Napi::Value ReleaseEvent(const Napi::CallbackInfo& info) {
    std::lock_guard<std::mutex> lock(mutex_);
    events_.erase(info[0].As<Napi::Number>().Uint32Value());
    return info.Env().Undefined();
  }

  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    CloseAll();
    return info.Env().Undefined();
  }

  void CloseAll() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [id, entry] : textures_) {
      entry.texture = nil;
      CFRelease(entry.surface);
    }
    textures_.clear();
    events_.clear();
  }

  id<MTLDevice> device_ = nil;
  id<MTLCommandQueue> queue_ = nil;
  MTLSharedEventListener* listener_ = nil;
  std::mutex mutex_;
  uint32_t nextId_ = 1;
  std::map<uint32_t, TextureEntry> textures_;
  std::map<uint32_t, id<MTLSharedEvent>> events_;
};

}  // namespace
}  // namespace geyser::metal

namespace geyser {
void InitMetal(Napi::Env env, Napi::Object exports) {
  Napi::Object metal = Napi::Object::New(env);
  NSArray<id<MTLDevice>>* devices = MTLCopyAllDevices();
  metal.Set("available", Napi::Boolean::New(env, devices.count > 0));
  if (devices.count == 0) metal.Set("reason", "no Metal device on this machine");
  metal.Set("MetalDevice", metal::MetalDevice::Define(env));
  exports.Set("metal", metal);
}
}  // namespace geyser
#endif
