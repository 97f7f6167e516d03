/**
 * Three-process pipeline throughput (producer process -> pass-through filter process -> consumer
 * in this process) on the host backend at 720p, 1080p and 4K, beside the same three-process chain
 * moving raw frame bytes through pipes, in one run. Every frame is checked at the consumer.
 *
 * @internal
 * @module
 */
import { pipeline } from '../../index.js';
import { probeVulkan } from '../../core/vulkan/manager.js';
import { ArrivalClock, runRawPipeChain, type StreamRun } from '../baselines.js';
import { metric } from '../metric.js';
import { checkingConsumer, filterProcess, producerProcess } from '../stream-nodes.js';
import { framesPerSecond } from '../timing.js';
import type { Benchmark, Metric } from '../types.js';
import { FRAME_SIZES } from './handoff.js';

/**
 * Runs `frames` frames through the three-process pipeline and returns the steady-state run
 * (after `warmup` frames) and the sync primitive chosen on each edge.
 *
 * @example
 * ```ts
 * const { frames, micros, edges } = await runThreeProcessPipeline(1920, 1080, 5000, 500);
 * ```
 * @param backend - `'host'` (default) or `'vulkan'`
 * @throws when a frame arrives out of order or with a wrong stamp, or a process fails
 */
export async function runThreeProcessPipeline(
  width: number,
  height: number,
  frames: number,
  warmup: number,
  onProgress?: (fraction: number) => void,
  backend: 'host' | 'vulkan' = 'host',
): Promise<StreamRun & { edges: string[] }> {
  const clock = new ArrivalClock(frames, warmup);
  const run = pipeline(
    producerProcess({ width, height, frames }),
    filterProcess(),
    checkingConsumer(() => {
      clock.arrive();
      if ((clock.arrived & 127) === 0) onProgress?.(clock.arrived / frames);
    }),
    { backend },
  );
  await run.ready;
  const edges = run.describe().edges.map((edge) => `${edge.from} -> ${edge.to}: ${edge.primitive}${edge.degraded ? ` (degraded: ${edge.reason})` : ''}`);
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
    const vulkan = await probeVulkan({});
    // The steps: each host size, then the Vulkan run.
    const steps = FRAME_SIZES.length + 1;
    const rawFps = new Map<string, number>();
    for (const [i, size] of FRAME_SIZES.entries()) {
      const at = `@ ${size.width}x${size.height}`;
      const step = (fraction: number, what: string) => progress((i + fraction) / steps, `${size.label} ${what}`);
      const ours = await runThreeProcessPipeline(size.width, size.height, frames, warmup, (f) => step(f * 0.6, 'pipeline'));
      const bytes = size.width * size.height * 4;
      const count = rawFrames(bytes);
      const raw = await runRawPipeChain(bytes, count, Math.max(2, Math.round(count / 10)), (f) => step(0.6 + f * 0.4, 'raw frames through pipes'));
      const fps = framesPerSecond(ours.frames, ours.micros);
      rawFps.set(size.label, framesPerSecond(raw.frames, raw.micros));
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

    // The same pipeline on the Vulkan backend, where it opens: on a GPU its edges use exported
    // timeline semaphores; on lavapipe the degraded fence-wait path. Textures there are not
    // CPU-mapped, so frames carry their seq only (a GPU would render them).
    const vulkanFrames = quick ? 300 : 3000;
    const at = '@ 1920x1080';
    const baseline = { name: 'raw frames through a three-process chain of pipes', value: rawFps.get('1080p')! };
    if (!vulkan.usable) {
      metrics.push(metric({ id: 'pipeline.fps.1080p.vulkan', name: `three-process pipeline frames/s on Vulkan ${at}`, value: null, unit: 'frames/s', better: 'higher', baseline, reason: `the Vulkan backend is not usable here: ${vulkan.reason}` }));
    } else {
      const ours = await runThreeProcessPipeline(1920, 1080, vulkanFrames, Math.round(vulkanFrames / 10), (f) => progress((FRAME_SIZES.length + f) / steps, 'Vulkan 1080p pipeline'), 'vulkan');
      const degraded = ours.edges.find((edge) => edge.includes('degraded'));
      metrics.push(
        metric({
          id: 'pipeline.fps.1080p.vulkan',
          name: `three-process pipeline frames/s on Vulkan ${at}`,
          value: framesPerSecond(ours.frames, ours.micros),
          unit: 'frames/s',
          better: 'higher',
          baseline,
          target: '>= 5,000 frames/s',
          meets: (value) => value >= 5000,
          reason: degraded ? `degraded sync path on this device: ${degraded}` : undefined,
        }),
      );
      notes.push(`Vulkan (${vulkan.reason}): ${ours.frames} frames timed; sync per edge: ${ours.edges.join('; ')}`);
    }
    return { metrics, notes };
  },
};

export default pipelineBench;
