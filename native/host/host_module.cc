// Placeholder: the host area registers its exports here.
#include "common/modules.h"

namespace geyser {
void InitHost(Napi::Env env, Napi::Object exports) {}
}  // namespace geyser
