// Placeholder: the ipc area registers its exports here.
#include "common/modules.h"

namespace geyser {
void InitIpc(Napi::Env env, Napi::Object exports) {}
}  // namespace geyser
