// The one way the addon includes <windows.h>. Lean (no winsock, no COM), without the min/max
// macros that break std::min, and without the ANSI/wide aliases that would rename members of the
// Vulkan function tables (windows.h turns `CreateSemaphore` into `CreateSemaphoreA`, and
// vk_loader.h has a DeviceFns::CreateSemaphore). Include this, never <windows.h> directly.
#pragma once
#ifdef _WIN32

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

#undef CreateSemaphore

#endif  // _WIN32
