// What this driver's opaque fds look like, so a foreign fd is refused before the driver sees it.
//
// Why: the NVIDIA driver (580) stops creating objects in a process once it has been handed a
// regular file as an opaque memory or semaphore fd (later vkAllocateMemory/vkCreateFence fail with
// OUT_OF_DEVICE_MEMORY / INITIALIZATION_FAILED). Its opaque fds are /dev/nvidiactl character
// devices; lavapipe's are memfds. The signature is read from one fd the driver itself exported.
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <sys/types.h>

#include <string>

#include "common/result.h"

namespace geyser::vk {

struct FdSignature {
  mode_t type = 0;       // S_IFCHR, S_IFREG, ...
  dev_t rdev = 0;        // for character devices
  std::string link;      // readlink of /proc/self/fd/N, e.g. "/dev/nvidiactl", "/memfd:..."
};

Result<FdSignature> ReadFdSignature(int fd);

// "" when `fd` looks like the driver's own opaque fds, else why not ("fd 12 is a regular file
// (/tmp/x), but this driver's opaque fds are /dev/nvidiactl").
std::string SignatureMismatch(const FdSignature& expected, int fd);

}  // namespace geyser::vk

#endif
