/**
 * Three-process pipeline throughput (producer process -> pass-through filter process -> consumer
 * in this process) on the host backend at 720p, 1080p and 4K, beside the same three-process chain
 * moving raw frame bytes through pipes, in one run. Every frame is checked at the consumer.
 *
 * @internal
 * @module
 */
import { pipeline } from '../../index.js';
import { ArrivalClock, runRawPipeChain, type StreamRun } from '../baselines.js';
import { metric } from '../metric.js';
import { checkingConsumer, filterProcess, producerProcess } from '../stream-nodes.js';
import { framesPerSecond } from '../timing.js';
import type { Benchmark, Metric } from '../types.js';
import { FRAME_SIZES } from './handoff.js';

/**
 * Runs `frames` frames through the three-process pipeline and returns the steady-state run
 * (after `warmup` frames) and the sync primitive chosen on each edge.
 */
export async function runThreeProcessPipeline(width: number, height: number, frames: number, warmup: number, onProgress?: (fraction: number) => void): Promise<StreamRun & { edges: string[] }> {
  const clock = new ArrivalClock(frames, warmup);
  const run = pipeline(
    producerProcess({ width, height, frames }),
    filterProcess(),
    checkingConsumer(() => {
      clock.arrive();
      if ((clock.arrived & 127) === 0) onProgress?.(clock.arrived / frames);
    }),
    { backend: 'host' },
  );
  await run.ready;
  const edges = run.describe().edges.map((edge) => `${edge.from} -> ${edge.to}: ${edge.primitive}${edge.degraded ? ' (degraded)' : ''}`);
  await run.done;
  return { ...clock.result('three-process pipeline'), edges };
}

const pipelineBench: Benchmark = {
  name: 'pipeline',
  description: 'three-process pipeline (producer process -> filter process -> consumer) frames/s on the host backend vs raw frames through a three-process chain of pipes',
  async run({ quick, progress }) {
    const frames = quick ? 600 : 5000;
    const warmup = quick ? 100 : 500;
    // Raw frames cost time proportional to their size: fewer of them at larger sizes.
    const rawFrames = (bytes: number) => Math.max(quick ? 12 : 60, Math.min(quick ? 120 : 1200, Math.round((quick ? 4e8 : 4e9) / bytes)));
    const metrics: Metric[] = [];
    const notes: string[] = [];
    for (const [i, size] of FRAME_SIZES.entries()) {
      const at = `@ ${size.width}x${size.height}`;
      const step = (fraction: number, what: string) => progress((i + fraction) / FRAME_SIZES.length, `${size.label} ${what}`);
      const ours = await runThreeProcessPipeline(size.width, size.height, frames, warmup, (f) => step(f * 0.6, 'pipeline'));
      const bytes = size.width * size.height * 4;
      const count = rawFrames(bytes);
      const raw = await runRawPipeChain(bytes, count, Math.max(2, Math.round(count / 10)), (f) => step(0.6 + f * 0.4, 'raw frames through pipes'));
      const fps = framesPerSecond(ours.frames, ours.micros);
      metrics.push(
        metric({
          id: `pipeline.fps.${size.label}`,
          name: `three-process pipeline frames/s ${at}`,
          value: fps,
          unit: 'frames/s',
          better: 'higher',
          baseline: { name: 'raw frames through a three-process chain of pipes', value: framesPerSecond(raw.frames, raw.micros) },
          target: '>= 5,000 frames/s',
          meets: (value) => value >= 5000,
        }),
        metric({
          id: `pipeline.frame-time.${size.label}`,
          name: `three-process pipeline time per frame ${at}`,
          value: ours.micros / ours.frames,
          unit: 'us',
          better: 'lower',
          baseline: { name: 'raw frames through a three-process chain of pipes', value: raw.micros / raw.frames },
        }),
      );
      if (i === 0) notes.push(`sync per edge: ${ours.edges.join('; ')}`);
      notes.push(`${size.label}: pipeline ${ours.frames} frames timed after ${warmup} warm-up; raw chain ${raw.frames} frames timed`);
    }
    return { metrics, notes };
  },
};

export default pipelineBench;
