/**
 * Cross-process frame handoff round trip at 720p, 1080p and 4K, beside the floor (a bare 64-byte
 * ping-pong over a `net` Unix socket) and beside what Node users do today (the frame's bytes sent
 * over a pipe or child_process IPC), all in one run.
 *
 * The handoff is DESIGN.md's fast path: a pool of host textures (shared memory) is exported and
 * imported once per slot, then per frame only `{slot, seq, pts, acquire}` goes down a
 * ShareChannel and `{slot, release}` comes back. The producer stamps each frame's sequence number
 * into the shared pixels and the consumer checks it, so what is timed really delivers the frame.
 *
 * @internal
 * @module
 */
import { createTextureShareManager, ShareChannel, type SharedTexture, type TextureShareManager } from '../../index.js';
import { openIpcFrames, openNetPingPong, openPipeFrames, type RoundTripper } from '../baselines.js';
import { metric } from '../metric.js';
import { exited, spawnPeer } from '../spawn-peer.js';
import { timeInterleaved, timeRounds } from '../timing.js';
import type { Benchmark, Metric } from '../types.js';

/** The frame sizes every per-size benchmark uses. */
export const FRAME_SIZES = [
  { label: '720p', width: 1280, height: 720 },
  { label: '1080p', width: 1920, height: 1080 },
  { label: '4k', width: 3840, height: 2160 },
] as const;

const SLOTS = 3;
const FLOOR = 'bare 64 B ping-pong over a net Unix socket';

/** The handoff: a pool of `SLOTS` shared textures crossed once, then one small message each way per frame. */
async function openHandoff(manager: TextureShareManager, width: number, height: number): Promise<RoundTripper> {
  const [channel, forChild] = ShareChannel.pair();
  const child = spawnPeer('handoff-peer', [], { stdio: ['ignore', 'inherit', 'inherit', forChild.fd] });
  forChild.close();
  const textures: SharedTexture[] = [];
  for (let slot = 0; slot < SLOTS; slot++) {
    textures.push(manager.createShareableTexture({ width, height, format: 'rgba8unorm', usage: ['copy-src', 'copy-dst'], label: `handoff-slot-${slot}` }));
  }
  const handles = textures.map((texture) => manager.exportTexture(texture));
  await channel.send({ pool: { width, height, format: 'rgba8unorm' } }, handles);
  for (const handle of handles) manager.releaseTextureHandle(handle);
  await channel.receive(); // the child imported and mapped every slot
  const views = textures.map((texture) => new DataView(manager.mapTexture!(texture).buffer));
  let seq = 0;
  return {
    roundTrip: async () => {
      const slot = seq % SLOTS;
      seq++;
      views[slot]!.setUint32(0, seq, true); // the producer "renders" the frame in place
      await channel.send({ slot, seq, pts: seq * 16_667, acquire: seq });
      const { message } = await channel.receive();
      const reply = message as { slot: number; release: number };
      if (reply.slot !== slot || reply.release !== seq) throw new Error(`handoff out of order: sent slot ${slot} seq ${seq}, got ${JSON.stringify(reply)}`);
    },
    close: async () => {
      channel.close();
      await exited(child);
      for (const texture of textures) texture.release();
    },
  };
}

const handoff: Benchmark = {
  name: 'handoff',
  description: 'cross-process frame handoff round trip (ShareChannel + shared host textures) vs bare socket ping-pong and raw frames over pipe / child_process IPC',
  async run({ quick, progress }) {
    const rounds = quick ? 400 : 5000;
    const warmup = quick ? 100 : 500;
    const frameRounds = quick ? 6 : 40;
    const metrics: Metric[] = [];
    const manager = await createTextureShareManager({ backend: 'host' });
    const floor = await openNetPingPong();
    try {
      for (const [i, size] of FRAME_SIZES.entries()) {
        const at = `@ ${size.width}x${size.height}`;
        const share = (fraction: number, what: string) => progress((i + fraction) / FRAME_SIZES.length, `${size.label} ${what}`);
        const ours = await openHandoff(manager, size.width, size.height);
        let bare, shared;
        try {
          [bare, shared] = await timeInterleaved(rounds, warmup, [floor.roundTrip, ours.roundTrip], (f) => share(f * 0.6, 'handoff vs ping-pong'));
        } finally {
          await ours.close();
        }
        const bytes = size.width * size.height * 4;
        const rawRun = async (open: (bytes: number) => RoundTripper, what: string, from: number) => {
          const peer = open(bytes);
          try {
            return await timeRounds(frameRounds, 2, () => peer.roundTrip(), (f) => share(from + f * 0.2, what));
          } finally {
            await peer.close();
          }
        };
        const pipe = await rawRun(openPipeFrames, 'raw frames over a pipe', 0.6);
        const ipc = await rawRun(openIpcFrames, 'raw frames over child_process IPC', 0.8);
        const id = size.label;
        metrics.push(
          metric({ id: `handoff.p50.${id}`, name: `handoff round trip p50 ${at}`, value: shared!.p50, unit: 'us', better: 'lower', baseline: { name: `${FLOOR}, p50`, value: bare!.p50 }, target: '<= 1.5x the bare ping-pong', meets: (_, r) => r !== undefined && r <= 1.5 }),
          metric({ id: `handoff.p99.${id}`, name: `handoff round trip p99 ${at}`, value: shared!.p99, unit: 'us', better: 'lower', baseline: { name: `${FLOOR}, p99`, value: bare!.p99 } }),
          metric({ id: `handoff.vs-pipe.p50.${id}`, name: `handoff p50 vs raw frame over a pipe ${at}`, value: shared!.p50, unit: 'us', better: 'lower', baseline: { name: `${(bytes / 1e6).toFixed(1)} MB frame over a pipe + ack, p50`, value: pipe.p50 } }),
          metric({ id: `handoff.vs-ipc.p50.${id}`, name: `handoff p50 vs raw frame over child_process IPC ${at}`, value: shared!.p50, unit: 'us', better: 'lower', baseline: { name: `${(bytes / 1e6).toFixed(1)} MB frame over child_process IPC (advanced) + ack, p50`, value: ipc.p50 } }),
        );
      }
    } finally {
      await floor.close();
      manager.dispose();
    }
    return {
      metrics,
      notes: [
        `handoff and ping-pong interleaved round by round (${rounds} timed rounds each after ${warmup} warm-up); raw frames ${frameRounds} rounds each`,
        `handoff pool: ${SLOTS} host-backend rgba8unorm textures exported/imported once per slot; each frame's seq is stamped in the shared pixels and checked by the consumer`,
      ],
    };
  },
};

export default handoff;
