// Placeholder: the vulkan area registers its exports here.
#include "common/modules.h"

namespace geyser {
void InitVulkan(Napi::Env env, Napi::Object exports) {}
}  // namespace geyser
