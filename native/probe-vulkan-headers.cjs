// Prints 1 when Vulkan headers are available (Debian: libvulkan-dev), else 0. The addon then
// builds without its Vulkan backend; the host backend still works. VULKAN_SDK is honoured.
'use strict';
const fs = require('fs');
const path = require('path');
const candidates = [
  process.env.VULKAN_SDK && path.join(process.env.VULKAN_SDK, 'include'),
  '/usr/include',
  '/usr/local/include',
].filter(Boolean);
const found = candidates.some((dir) => fs.existsSync(path.join(dir, 'vulkan', 'vulkan_core.h')));
process.stdout.write(found ? '1' : '0');
