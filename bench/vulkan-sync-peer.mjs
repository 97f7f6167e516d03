// Peer process of bench/vulkan-share.mjs: fd 3 is a timeline semaphore; for each round it waits
// for 2i+1 (host wait, off the JS thread) and signals 2i+2.
import { createTextureShareManager } from '../dist/index.js';

const rounds = Number(process.argv[2]);
const manager = await createTextureShareManager({ backend: 'vulkan' });
const semaphore = manager.importSemaphore({ backend: 'vulkan', kind: 'semaphore', rawHandle: 3, handleType: 'opaque-fd', timeline: true });
for (let i = 0; i < rounds; i++) {
  await semaphore.wait(2 * i + 1, 10_000);
  semaphore.signal(2 * i + 2);
}
manager.dispose();
