// Whether a Vulkan device opens here (lavapipe on the dev machines and CI): test files that need
// one skip, saying so, where none does (no loader or ICD).
import { createTextureShareManager } from '../../src/index.js';

async function vulkanAvailable(): Promise<boolean> {
  try {
    (await createTextureShareManager({ backend: 'vulkan' })).dispose();
    return true;
  } catch {
    return false;
  }
}

/** True where no Vulkan device opens at all. */
export const NO_VULKAN = !(await vulkanAvailable());
