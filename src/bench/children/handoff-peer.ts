/**
 * The consumer end of the handoff benchmark, run as its own process with a ShareChannel on fd 3.
 * It receives the pool's slots once (host textures: shared memory), imports and maps each, then
 * for every `{slot, seq, pts, acquire}` checks that the frame's stamp in the shared pixels is
 * `seq` (proof that the pixels arrived without a copy) and answers `{slot, release}`.
 *
 * @internal
 * @module
 */
import { createTextureShareManager, ShareChannel, type HostTextureHandle, type SharedTexture } from '../../index.js';

interface PoolMessage {
  pool: { width: number; height: number; format: 'rgba8unorm' };
}

interface FrameMessage {
  slot: number;
  seq: number;
  pts: number;
  acquire: number;
}

const channel = ShareChannel.fromFd(3);
const manager = await createTextureShareManager({ backend: 'host' });
const setup = await channel.receive();
const { pool } = setup.message as PoolMessage;
const textures: SharedTexture[] = setup.handles.map((handle) =>
  manager.importTexture(handle as HostTextureHandle, { width: pool.width, height: pool.height, format: pool.format, usage: ['copy-src', 'copy-dst'] }),
);
const views = textures.map((texture) => new DataView(manager.mapTexture!(texture).buffer));
await channel.send({ ready: textures.length });
for (;;) {
  let frame: FrameMessage;
  try {
    frame = (await channel.receive()).message as FrameMessage;
  } catch {
    break; // the parent closed the channel: the run is over
  }
  const stamp = views[frame.slot]?.getUint32(0, true);
  if (stamp !== frame.seq) {
    process.stderr.write(`handoff-peer: slot ${frame.slot} holds frame ${stamp}, expected ${frame.seq}\n`);
    process.exit(1);
  }
  await channel.send({ slot: frame.slot, release: frame.acquire });
}
channel.close();
manager.dispose();
