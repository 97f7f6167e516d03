/**
 * Vulkan sharing costs: texture export and import (p50 over many textures) beside the host
 * backend's export/import and beside a CPU copy of the frame (what sharing avoids), and the
 * cross-process sync cost: a timeline semaphore ping-pong between two processes where the device
 * exports semaphores, otherwise the degraded path the pipeline uses there (the producer waits for
 * its own GPU work, then sends a message), beside the host backend's semaphore ping-pong and the
 * bare socket ping-pong. And the per-frame cost at 1080p of colorConvert's GPU kernel (one packed
 * dispatch into the output frame) and of the encode sink's GPU readback (packed dispatch + one
 * readback into the encoder's buffer), each beside the plane-texture path it replaced (planes read
 * back, then uploaded or copied). On lavapipe (CPU Vulkan) the figures describe lavapipe, not a GPU.
 *
 * @internal
 * @module
 */
import { ShareChannel, createTextureShareManager, type ExportableSemaphore, type SharedTexture, type TextureDescriptor, type TextureShareManager } from '../../index.js';
import { probeVulkan } from '../../core/vulkan/manager.js';
import { openNetPingPong, type RoundTripper } from '../baselines.js';
import { metric } from '../metric.js';
import { exited, spawnPeer, stopPeer } from '../spawn-peer.js';
import { summarize, type Summary } from '../stats.js';
import { timeInterleaved, timeRounds } from '../timing.js';
import type { Benchmark, Metric } from '../types.js';
import type { VulkanTextureShareManager } from '../../core/vulkan/manager.js';
import { timeYuvPaths, type YuvPathTimes } from '../yuv-paths.js';

const WIDTH = 1920;
const HEIGHT = 1080;
const AT = `@ ${WIDTH}x${HEIGHT}`;
const DESCRIPTOR: TextureDescriptor = { width: WIDTH, height: HEIGHT, format: 'rgba8unorm', usage: ['copy-src', 'copy-dst'] };

/** The Vulkan manager's GPU-queue extras (beyond the TextureShareManager interface). */
interface VulkanQueue {
  createLocalSemaphore(options?: { initialValue?: number }): ExportableSemaphore;
  submitSignal(semaphore: ExportableSemaphore, value: number): void;
}

/** Export and import p50 of one texture, `n` times (each import consumes its handle). */
function timeExportImport(manager: TextureShareManager, texture: SharedTexture, n: number): { exportUs: Summary; importUs: Summary } {
  const exportUs = new Float64Array(n);
  const importUs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let start = process.hrtime.bigint();
    const handle = manager.exportTexture(texture);
    exportUs[i] = Number(process.hrtime.bigint() - start) / 1000;
    start = process.hrtime.bigint();
    const imported = manager.importTexture(handle, DESCRIPTOR);
    importUs[i] = Number(process.hrtime.bigint() - start) / 1000;
    imported.release();
  }
  return { exportUs: summarize(exportUs), importUs: summarize(importUs) };
}

/** A cross-process timeline-semaphore ping-pong: we signal 2i+1, the peer waits and signals 2i+2. */
async function openSemaphorePingPong(manager: TextureShareManager, rounds: number): Promise<RoundTripper> {
  const [channel, forChild] = ShareChannel.pair();
  const child = spawnPeer('sync-peer', [manager.backend, 'semaphore'], { stdio: ['ignore', 'inherit', 'inherit', forChild.fd] });
  forChild.close();
  const semaphore = manager.createExportableSemaphore({ timeline: true });
  const handle = manager.exportSemaphore(semaphore);
  await channel.send({ rounds }, [handle]);
  manager.releaseTextureHandle(handle);
  await channel.receive();
  let i = 0;
  return {
    roundTrip: async () => {
      semaphore.signal(2 * i + 1);
      await semaphore.wait(2 * i + 2, 10_000);
      i++;
    },
    close: async () => {
      // Cut short by an error: the peer would wait for values that never come.
      if (i < rounds) await stopPeer(child);
      else await exited(child);
      channel.close();
      semaphore.release();
    },
  };
}

/** The degraded path: the producer waits for its own queue (a local timeline), then messages the consumer. */
async function openDegradedSync(manager: TextureShareManager & VulkanQueue): Promise<RoundTripper> {
  const [channel, forChild] = ShareChannel.pair();
  const child = spawnPeer('sync-peer', ['vulkan', 'echo'], { stdio: ['ignore', 'inherit', 'inherit', forChild.fd] });
  forChild.close();
  const done = manager.createLocalSemaphore();
  let value = 0;
  return {
    roundTrip: async () => {
      value++;
      manager.submitSignal(done, value);
      await done.wait(value, 10_000);
      await channel.send({ seq: value });
      await channel.receive();
    },
    close: async () => {
      channel.close();
      await exited(child);
      done.release();
    },
  };
}

/** The YUV path metrics; `times` undefined when the Vulkan backend cannot open here (then `why` says so). */
function yuvMetrics(times: YuvPathTimes | undefined, why?: string): Metric[] {
  const cc = times?.colorConvert;
  const enc = times?.encodeReadback;
  return [
    metric({
      id: 'vulkan.colorConvert.p50',
      name: `colorConvert GPU kernel per frame p50 (packed dispatch into the output frame) ${AT}`,
      value: cc?.packed.p50 ?? null,
      unit: 'us',
      better: 'lower',
      baseline: cc && { name: 'plane textures, read back and uploaded into the output frame (the previous kernel), p50', value: cc.planes.p50 },
      reason: why,
    }),
    metric({
      id: 'vulkan.encode-readback.p50',
      name: `encode GPU conversion + readback per frame p50 (packed, one readTextureInto) ${AT}`,
      value: enc?.packed.p50 ?? null,
      unit: 'us',
      better: 'lower',
      baseline: enc && { name: 'I420 plane textures, three readTexture + copies into the buffer (the previous path), p50', value: enc.planes.p50 },
      reason: why,
    }),
  ];
}

/** The metrics with no figure, when the Vulkan backend cannot open here. */
function unavailable(reason: string, host: { exportUs: Summary; importUs: Summary }, hostSync: Summary, floor: Summary, copyP50: number | null): Metric[] {
  const why = `the Vulkan backend is not usable here: ${reason}`;
  return [
    metric({ id: 'vulkan.export.p50', name: `texture export p50 ${AT}`, value: null, unit: 'us', better: 'lower', baseline: { name: 'host backend (memfd) export, p50', value: host.exportUs.p50 }, reason: why }),
    metric({ id: 'vulkan.import.p50', name: `texture import p50 ${AT}`, value: null, unit: 'us', better: 'lower', baseline: { name: 'host backend (memfd) import, p50', value: host.importUs.p50 }, reason: why }),
    metric({ id: 'vulkan.share.p50', name: `export + import p50 vs one CPU copy of the frame ${AT}`, value: null, unit: 'us', better: 'lower', ...(copyP50 === null ? {} : { baseline: { name: 'CPU copy of the frame, p50', value: copyP50 } }), reason: why }),
    metric({ id: 'vulkan.sync.p50', name: 'cross-process sync round trip p50', value: null, unit: 'us', better: 'lower', baseline: { name: 'host backend timeline semaphore ping-pong, p50', value: hostSync.p50 }, reason: why }),
    metric({ id: 'vulkan.sync.vs-floor.p50', name: 'cross-process sync round trip p50 vs the floor', value: null, unit: 'us', better: 'lower', baseline: { name: 'bare 64 B ping-pong over a net Unix socket, p50', value: floor.p50 }, reason: why }),
    metric({ id: 'vulkan.sync.p99', name: 'cross-process sync round trip p99', value: null, unit: 'us', better: 'lower', baseline: { name: 'bare 64 B ping-pong over a net Unix socket, p99', value: floor.p99 }, reason: why }),
    ...yuvMetrics(undefined, why),
  ];
}

const vulkan: Benchmark = {
  name: 'vulkan',
  description:
    'Vulkan texture export/import cost vs the host backend and a CPU frame copy; cross-process sync round trip vs host semaphores and the bare socket ping-pong; colorConvert and encode YUV paths (packed) vs the plane-texture paths',
  async run({ quick, progress }) {
    const n = quick ? 40 : 400;
    const rounds = quick ? 300 : 3000;
    const warmup = quick ? 50 : 300;
    const notes: string[] = [];

    // Baselines that need no GPU: the host backend's export/import and semaphore ping-pong, and the floor.
    progress(0.05, 'host backend export/import');
    const host = await createTextureShareManager({ backend: 'host' });
    let hostShare: { exportUs: Summary; importUs: Summary };
    let hostSync: Summary;
    let floorSync: Summary;
    const floor = await openNetPingPong();
    try {
      const texture = host.createShareableTexture(DESCRIPTOR);
      hostShare = timeExportImport(host, texture, n);
      texture.release();
      progress(0.15, 'host semaphore ping-pong vs bare ping-pong');
      const hostPingPong = await openSemaphorePingPong(host, rounds + warmup);
      try {
        [hostSync, floorSync] = (await timeInterleaved(rounds, warmup, [hostPingPong.roundTrip, floor.roundTrip], (f) => progress(0.15 + f * 0.3, 'host semaphore ping-pong'))) as [Summary, Summary];
      } finally {
        await hostPingPong.close();
      }
    } finally {
      host.dispose();
    }

    const verdict = await probeVulkan({});
    if (!verdict.usable) {
      await floor.close();
      return { metrics: unavailable(verdict.reason, hostShare, hostSync, floorSync, null), notes };
    }
    const manager = (await createTextureShareManager({ backend: 'vulkan' })) as TextureShareManager & VulkanQueue;
    const metrics: Metric[] = [];
    try {
      const caps = manager.capabilities();
      notes.push(`device: ${caps.device.name} [${caps.device.type}]${caps.device.driver ? `, driver ${caps.device.driver}` : ''}`);
      progress(0.5, 'Vulkan export/import');
      const texture = manager.createShareableTexture(DESCRIPTOR);
      const frame = new Uint8Array(WIDTH * HEIGHT * 4).fill(42);
      manager.writeTexture(texture, frame);
      const share = timeExportImport(manager, texture, n);
      progress(0.6, 'CPU copy of the frame');
      const copy = await timeRounds(quick ? 10 : 50, 2, () => manager.writeTexture(texture, manager.readTexture(texture)));
      texture.release();
      metrics.push(
        metric({ id: 'vulkan.export.p50', name: `texture export p50 ${AT}`, value: share.exportUs.p50, unit: 'us', better: 'lower', baseline: { name: 'host backend (memfd) export, p50', value: hostShare.exportUs.p50 } }),
        metric({ id: 'vulkan.import.p50', name: `texture import p50 ${AT}`, value: share.importUs.p50, unit: 'us', better: 'lower', baseline: { name: 'host backend (memfd) import, p50', value: hostShare.importUs.p50 } }),
        metric({
          id: 'vulkan.share.p50',
          name: `export + import p50 vs one CPU copy of the frame ${AT}`,
          value: share.exportUs.p50 + share.importUs.p50,
          unit: 'us',
          better: 'lower',
          baseline: { name: 'CPU copy of the frame (readTexture + writeTexture), p50', value: copy.p50 },
        }),
      );

      progress(0.62, 'YUV paths: packed vs planes');
      const yuvRounds = quick ? 5 : 30;
      const yuv = await timeYuvPaths(manager as unknown as VulkanTextureShareManager, WIDTH, HEIGHT, yuvRounds, quick ? 1 : 3, (f) => progress(0.62 + f * 0.08, 'YUV paths: packed vs planes'));
      metrics.push(...yuvMetrics(yuv));

      progress(0.7, 'cross-process sync');
      let sync: Summary;
      let bare: Summary;
      let reason: string | undefined;
      if (caps.semaphore.exportable && caps.semaphore.timeline) {
        const pingPong = await openSemaphorePingPong(manager, rounds + warmup);
        try {
          [sync, bare] = (await timeInterleaved(rounds, warmup, [pingPong.roundTrip, floor.roundTrip], (f) => progress(0.7 + f * 0.3, 'timeline semaphore ping-pong'))) as [Summary, Summary];
        } finally {
          await pingPong.close();
        }
        notes.push('sync: exported timeline semaphore, host-side signal and wait in both processes');
      } else {
        reason = `degraded path (fence-wait): ${caps.semaphore.reason ?? 'semaphores are not exportable'}; the producer waits for its own queue, then sends a message`;
        const degraded = await openDegradedSync(manager);
        try {
          [sync, bare] = (await timeInterleaved(rounds, warmup, [degraded.roundTrip, floor.roundTrip], (f) => progress(0.7 + f * 0.3, 'degraded sync path'))) as [Summary, Summary];
        } finally {
          await degraded.close();
        }
      }
      metrics.push(
        metric({ id: 'vulkan.sync.p50', name: 'cross-process sync round trip p50', value: sync.p50, unit: 'us', better: 'lower', baseline: { name: 'host backend timeline semaphore ping-pong, p50', value: hostSync.p50 }, reason }),
        metric({ id: 'vulkan.sync.vs-floor.p50', name: 'cross-process sync round trip p50 vs the floor', value: sync.p50, unit: 'us', better: 'lower', baseline: { name: 'bare 64 B ping-pong over a net Unix socket, p50', value: bare.p50 }, reason }),
        metric({ id: 'vulkan.sync.p99', name: 'cross-process sync round trip p99', value: sync.p99, unit: 'us', better: 'lower', baseline: { name: 'bare 64 B ping-pong over a net Unix socket, p99', value: bare.p99 }, reason }),
      );
    } finally {
      manager.dispose();
      await floor.close();
    }
    return { metrics, notes };
  },
};

export default vulkan;
