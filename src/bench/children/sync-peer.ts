/**
 * The far end of the sync benchmarks, run as its own process with a ShareChannel on fd 3:
 * `node sync-peer.js <backend> semaphore|echo`.
 *
 * - `semaphore`: receives an exported timeline semaphore and the number of rounds once, imports
 *   it, then for round i waits for 2i+1 (signalled by the parent) and signals 2i+2.
 * - `echo`: answers every message (the degraded path's per-frame message, after the producer
 *   waited for its own GPU work).
 *
 * @internal
 * @module
 */
import { createTextureShareManager, ShareChannel, type BackendName, type SemaphoreHandle } from '../../index.js';

const [backend = 'host', mode = 'echo'] = process.argv.slice(2);
const channel = ShareChannel.fromFd(3);

if (mode === 'semaphore') {
  const manager = await createTextureShareManager({ backend: backend as BackendName });
  const { message, handles } = await channel.receive();
  const { rounds } = message as { rounds: number };
  const semaphore = manager.importSemaphore(handles[0] as SemaphoreHandle);
  await channel.send({ ready: true });
  for (let i = 0; i < rounds; i++) {
    await semaphore.wait(2 * i + 1, 10_000);
    if (semaphore.value < 2 * i + 1) throw new Error(`semaphore at ${semaphore.value} after waiting for ${2 * i + 1}`);
    semaphore.signal(2 * i + 2);
  }
  semaphore.release();
  manager.dispose();
} else {
  for (;;) {
    let message: unknown;
    try {
      ({ message } = await channel.receive());
    } catch {
      break; // the parent closed the channel
    }
    await channel.send(message);
  }
}
channel.close();
