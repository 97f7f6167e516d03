// Pixel transfers between the host and a SharedImage through the device's staging buffer, and the
// queue-family ownership protocol for shared images: between operations an image rests in
// VK_IMAGE_LAYOUT_GENERAL, owned by VK_QUEUE_FAMILY_EXTERNAL. Every operation acquires it from
// external first (so the other process's writes are visible) and releases it back after (so ours
// are visible to them).
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <cstddef>

#include "vulkan/shared_image.h"

namespace geyser::vk {

// How long a transfer may wait for the queue before failing with Timeout.
constexpr uint64_t kTransferTimeoutNs = 10ull * 1000 * 1000 * 1000;
// How long destruction waits for a stuck transfer before leaking rather than freeing in-use memory.
constexpr uint64_t kDestroyWaitNs = 5ull * 1000 * 1000 * 1000;

// UNDEFINED -> GENERAL and release to external, once, right after creation.
Status PrepareForSharing(SharedImage& image);
// Uploads tightly packed rows (`bytes` must be width * height * texelBytes).
Status WriteImage(SharedImage& image, const uint8_t* data, size_t bytes);
// Reads back tightly packed rows into `out` (`bytes` as above).
Status ReadImage(SharedImage& image, uint8_t* out, size_t bytes);

}  // namespace geyser::vk

#endif
