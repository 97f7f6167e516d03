// Peer process of bench/vulkan-share.mjs. Its ShareChannel is fd 3; it receives { rounds } with a
// timeline semaphore, then for each round waits for 2i+1 (host wait, off the JS thread) and
// signals 2i+2.
import { createTextureShareManager, ShareChannel } from '../dist/index.js';

const channel = ShareChannel.fromFd(3, { label: 'bench sync peer' });
const manager = await createTextureShareManager({ backend: 'vulkan' });
const { message, handles } = await channel.receive();
const semaphore = manager.importSemaphore(handles[0]);
for (let i = 0; i < message.rounds; i++) {
  await semaphore.wait(2 * i + 1, 10_000);
  semaphore.signal(2 * i + 2);
}
manager.dispose();
channel.close();
