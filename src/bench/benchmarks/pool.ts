/**
 * Pool steady state: once warmed up, a pipeline allocates no textures and its memory stays flat.
 * Ours: frames through a pipeline whose producer takes pooled frames (slots allocated once,
 * reused) and writes every pixel. Baseline, in the same run: the same frames, every pixel written,
 * with a texture created and released per frame, which is what code without a pool does. Both run 1080p in this process, where the
 * counts are exact; a three-process run reports its total allocations over all its pools.
 *
 * @internal
 * @module
 */
import { defineFilter, pipeline, createTextureShareManager, type MetricsSnapshot } from '../../index.js';
import { metric } from '../metric.js';
import { judgeGrowth, SOAK_TOLERANCE, type GrowthSample } from '../growth.js';
import { countFds, readRss } from '../proc-stats.js';
import { checkingConsumer, filterProcess, producerProcess, stampFrame, stampingProducer } from '../stream-nodes.js';
import { framesPerSecond, microsSince } from '../timing.js';
import type { Benchmark } from '../types.js';

const WIDTH = 1920;
const HEIGHT = 1080;
const AT = `@ ${WIDTH}x${HEIGHT}`;
const MIB = 2 ** 20;
/** RSS moves by this much with the garbage collector's rhythm alone (medians of 5 samples): smaller growth is noise. */
const RSS_NOISE_MIB = 4;

/** Texture allocations summed over every pool in a snapshot. */
function allocations(snapshot: MetricsSnapshot): number {
  return snapshot.pools.reduce((sum, pool) => sum + pool.allocations, 0);
}

/** Samples this process's RSS and fds about every `every` frames after warm-up. */
class RssSampler {
  readonly samples: GrowthSample[] = [];
  constructor(readonly warmup: number, readonly every: number) {}
  frame(seq: number): void {
    if (seq >= this.warmup && (seq - this.warmup) % this.every === 0) this.samples.push({ frame: seq, rssBytes: readRss(process.pid) ?? 0, fds: countFds(process.pid) ?? 0 });
  }
  /** RSS growth between the medians of the first and last samples (as the soak judges it). */
  growth(): number {
    return judgeGrowth(this.samples, SOAK_TOLERANCE).rssGrowthBytes;
  }
}

/** What a steady-state run measured after its warm-up. */
interface SteadyState {
  allocationsAfterWarmup: number;
  rssGrowthBytes: number;
  frames: number;
  micros: number;
}

/** Ours: pooled frames through producer -> pass-through filter -> checking consumer, in this process. */
async function pooledRun(frames: number, warmup: number, onProgress: (fraction: number) => void): Promise<SteadyState> {
  let warm: { allocations: number; at: bigint } | undefined;
  let end: { allocations: number; at: bigint } | undefined;
  const rss = new RssSampler(warmup, Math.max(1, Math.floor((frames - warmup) / 40)));
  const passthrough = defineFilter('filter', (scope) => ({ next: (frame) => scope.emit(frame) }));
  const run = pipeline(
    stampingProducer({ width: WIDTH, height: HEIGHT, frames, fill: true }),
    passthrough,
    checkingConsumer((seq) => {
      // Read inside the consumer, while the pipeline runs: this process's pool counters are exact.
      if (seq === warmup - 1 || seq === frames - 1) {
        const reading = { allocations: allocations(run.metricsSnapshot()), at: process.hrtime.bigint() };
        if (seq === warmup - 1) warm = reading;
        else end = reading;
      }
      rss.frame(seq);
      if ((seq & 127) === 0) onProgress(seq / frames);
    }),
    { backend: 'host' },
  );
  await run.done;
  if (!warm || !end) throw new Error('the pooled run ended before its last frame');
  return { allocationsAfterWarmup: end.allocations - warm.allocations, rssGrowthBytes: rss.growth(), frames: frames - warmup, micros: Number(end.at - warm.at) / 1000 };
}

/** Baseline: a texture created, filled, stamped and released per frame. */
async function allocatingRun(frames: number, warmup: number, onProgress: (fraction: number) => void): Promise<SteadyState> {
  const manager = await createTextureShareManager({ backend: 'host' });
  const rss = new RssSampler(warmup, Math.max(1, Math.floor((frames - warmup) / 40)));
  let created = 0;
  let warm = { created: 0, at: 0n };
  try {
    for (let seq = 0; seq < frames; seq++) {
      if (seq === warmup) warm = { created, at: process.hrtime.bigint() };
      const texture = manager.createShareableTexture({ width: WIDTH, height: HEIGHT, format: 'rgba8unorm', usage: ['copy-src', 'copy-dst'] });
      created++;
      const pixels = manager.mapTexture!(texture);
      pixels.fill(seq & 0xff);
      stampFrame(pixels, seq);
      texture.release();
      rss.frame(seq);
      // Yield like a pipeline does between frames, so the garbage collector gets its turns.
      if ((seq & 15) === 0) await new Promise((resolve) => setImmediate(resolve));
      if ((seq & 127) === 0) onProgress(seq / frames);
    }
    return { allocationsAfterWarmup: created - warm.created, rssGrowthBytes: rss.growth(), frames: frames - warmup, micros: microsSince(warm.at) };
  } finally {
    manager.dispose();
  }
}

/**
 * Texture allocations after warm-up in a three-process pipeline (producer process -> filter
 * process -> consumer here), counted by the producer's own pools and carried to the consumer in
 * each frame's metadata; and the producer's total over the whole run.
 */
async function threeProcessAllocations(frames: number, warmup: number): Promise<{ afterWarmup: number; total: number }> {
  let warm: number | undefined;
  let last: number | undefined;
  const run = pipeline(
    producerProcess({ width: WIDTH, height: HEIGHT, frames, reportAllocations: true }),
    filterProcess(),
    checkingConsumer((seq, frame) => {
      const allocations = frame.metadata.allocations;
      if (typeof allocations !== 'number') throw new Error(`frame ${seq} carries no allocation count`);
      if (seq === warmup) warm = allocations;
      last = allocations;
    }),
    { backend: 'host' },
  );
  await run.done;
  if (warm === undefined || last === undefined) throw new Error('the three-process run ended before its warm-up');
  return { afterWarmup: last - warm, total: last };
}

const pool: Benchmark = {
  name: 'pool',
  description: 'pool steady state: texture allocations and RSS growth after warm-up, pooled pipeline vs a texture allocated per frame',
  async run({ quick, progress }) {
    const frames = quick ? 600 : 5000;
    const warmup = quick ? 100 : 500;
    const ours = await pooledRun(frames, warmup, (f) => progress(f * 0.35, 'pooled pipeline'));
    // A fresh texture per frame faults in all its pages every time (~25 ms at 1080p here): fewer frames.
    const naiveFrames = quick ? 120 : 400;
    const naiveWarmup = quick ? 20 : 50;
    const naive = await allocatingRun(naiveFrames, naiveWarmup, (f) => progress(0.35 + f * 0.35, 'texture per frame'));
    const crossProcess = await threeProcessAllocations(frames, warmup);
    progress(1, '');
    const baselineName = 'a texture created and released per frame';
    return {
      metrics: [
        metric({
          id: 'pool.allocations-after-warmup',
          name: `texture allocations per 1,000 frames after warm-up ${AT}`,
          value: (ours.allocationsAfterWarmup * 1000) / ours.frames,
          unit: 'count',
          better: 'lower',
          baseline: { name: baselineName, value: (naive.allocationsAfterWarmup * 1000) / naive.frames },
          target: '0',
          meets: (value) => value === 0,
        }),
        metric({ id: 'pool.rss-growth', name: `RSS growth after warm-up (medians of first and last samples) ${AT}`, value: ours.rssGrowthBytes / MIB, unit: 'MiB', better: 'lower', baseline: { name: baselineName, value: naive.rssGrowthBytes / MIB }, tolerance: RSS_NOISE_MIB }),
        metric({ id: 'pool.fps', name: `frames/s in steady state ${AT}`, value: framesPerSecond(ours.frames, ours.micros), unit: 'frames/s', better: 'higher', baseline: { name: baselineName, value: framesPerSecond(naive.frames, naive.micros) } }),
        metric({
          id: 'pool.three-process-allocations-after-warmup',
          name: `texture allocations after warm-up in a three-process pipeline (${frames - warmup} frames) ${AT}`,
          value: crossProcess.afterWarmup,
          unit: 'count',
          better: 'lower',
          baseline: { name: `${baselineName} (one per frame)`, value: frames - warmup },
          target: '0',
          meets: (value) => value === 0,
        }),
      ],
      notes: [
        `three-process pipeline: the producer process allocated ${crossProcess.total} textures in all, counted by its own pools and carried in frame metadata`,
        `both write every pixel of each frame; pooled: ${ours.frames} frames timed after ${warmup} warm-up, ${ours.allocationsAfterWarmup} allocations; per-frame textures: ${naive.frames} frames after ${naiveWarmup} warm-up; counts read from the pools' own counters (TexturePool.counters) while the pipeline runs`,
      ],
    };
  },
};

export default pool;
