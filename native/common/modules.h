// Each native area registers its exports through one Init function; addon.cc calls them all.
// An area that cannot work on this platform still registers, and reports why when used.
#pragma once

#include <napi.h>

namespace geyser {

void InitCommon(Napi::Env env, Napi::Object exports);  // common/common_module.cc: fd helpers
void InitHost(Napi::Env env, Napi::Object exports);    // host/host_module.cc: memfd textures, futex sync
void InitIpc(Napi::Env env, Napi::Object exports);     // ipc/ipc_module.cc: SCM_RIGHTS channels
void InitVulkan(Napi::Env env, Napi::Object exports);  // vulkan/vulkan_module.cc
void InitMetal(Napi::Env env, Napi::Object exports);   // metal/metal_module.mm (macOS); stub elsewhere
void InitConvert(Napi::Env env, Napi::Object exports); // convert/convert_module.cc: pixel-format converters

}  // namespace geyser
