/**
 * Three-process pipeline throughput (producer process -> pass-through filter process -> consumer
 * in this process) on the host backend at 720p, 1080p and 4K, beside the same three-process chain
 * moving raw frame bytes through pipes, in one run. Every frame is checked at the consumer.
 *
 * @internal
 * @module
 */
import { map, type OperatorFunction } from 'rxjs';
import { createPipelineContext, defineFilter, defineSink, defineSource, pipeline, type Frame } from '../../index.js';
import { probeVulkan } from '../../core/vulkan/manager.js';
import { ArrivalClock, runRawPipeChain, type StreamRun } from '../baselines.js';
import { metric } from '../metric.js';
import { checkingConsumer, filterProcess, producerProcess } from '../stream-nodes.js';
import { median } from '../stats.js';
import { framesPerSecond, microsSince } from '../timing.js';
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

/**
 * Microseconds to move `frames` small frames through an in-process chain of `stages` stages
 * (made by `stage(i)`), source to sink: the node machinery alone, no process boundary.
 */
async function chainMicros(frames: number, stages: number, stage: (index: number) => OperatorFunction<Frame, Frame>): Promise<number> {
  const context = await createPipelineContext({ backend: 'host' });
  try {
    const source = defineSource('source', async (scope) => {
      for (let seq = 0; seq < frames && !scope.closed; seq++) scope.emit(await scope.acquireFrame({ width: 64, height: 64, format: 'rgba8unorm' }, { seq }));
    });
    const start = process.hrtime.bigint();
    await pipeline(source, ...Array.from({ length: stages }, (_, i) => stage(i)), defineSink('sink', () => ({ next: () => undefined })), { context }).done;
    return microsSince(start);
  } finally {
    context.dispose();
  }
}

/**
 * Per-node cost of the node helper: a chain of 10 pass-through Geyser filters minus no filter,
 * per node per frame; beside the same with 10 plain RxJS `map` operators (the framework's floor).
 */
async function nodeOverhead(frames: number): Promise<{ geyserUs: number; rxjsUs: number }> {
  const NODES = 10;
  const geyserFilter = (i: number) => defineFilter('pass', (scope) => ({ next: (frame: Frame) => scope.emit(frame) }), { name: `pass${i}` });
  const rxjsMap = () => map((frame: Frame) => frame);
  await chainMicros(Math.round(frames / 10), NODES, geyserFilter); // warm-up: JIT and the pool
  const geyser: number[] = [];
  const rxjs: number[] = [];
  for (let round = 0; round < 3; round++) {
    const none = await chainMicros(frames, 0, geyserFilter);
    geyser.push(((await chainMicros(frames, NODES, geyserFilter)) - none) / (NODES * frames));
    rxjs.push(((await chainMicros(frames, NODES, rxjsMap)) - none) / (NODES * frames));
  }
  return { geyserUs: Math.max(0, median(geyser)), rxjsUs: Math.max(0, median(rxjs)) };
}

const pipelineBench: Benchmark = {
  name: 'pipeline',
  description: 'three-process pipeline (producer process -> filter process -> consumer) frames/s on the host backend vs raw frames through a three-process chain of pipes; per-node overhead vs plain RxJS operators',
  async run({ quick, progress }) {
    const frames = quick ? 600 : 5000;
    const warmup = quick ? 100 : 500;
    // Sizes interleaved round by round and the median kept: load from other processes on a shared
    // machine spreads over every size instead of landing on one.
    const rounds = quick ? 1 : 3;
    // Raw frames cost time proportional to their size: fewer of them at larger sizes.
    const rawFrames = (bytes: number) => Math.max(quick ? 12 : 60, Math.min(quick ? 120 : 1200, Math.round((quick ? 4e8 : 4e9) / bytes)));
    const metrics: Metric[] = [];
    const notes: string[] = [];
    const vulkan = await probeVulkan({});
    const steps = rounds * FRAME_SIZES.length * 2 + 2;
    let done = 0;
    const step = (fraction: number, what: string) => progress((done + fraction) / steps, what);
    const ours = new Map<string, number[]>(FRAME_SIZES.map((size) => [size.label, []]));
    const raw = new Map<string, number[]>(FRAME_SIZES.map((size) => [size.label, []]));
    let edges: string[] = [];
    // Every Geyser round first, then the pipe rounds: the pipes leave gigabytes of garbage in this
    // process, and collecting it must not land inside a Geyser measurement.
    for (let round = 0; round < rounds; round++) {
      for (const size of FRAME_SIZES) {
        const run = await runThreeProcessPipeline(size.width, size.height, frames, warmup, (f) => step(f, `${size.label} pipeline`));
        ours.get(size.label)!.push(framesPerSecond(run.frames, run.micros));
        edges = run.edges;
        done++;
      }
    }
    const rawCounts = new Map<string, number>();
    for (let round = 0; round < rounds; round++) {
      for (const size of FRAME_SIZES) {
        const bytes = size.width * size.height * 4;
        const count = rawFrames(bytes);
        rawCounts.set(size.label, count);
        const run = await runRawPipeChain(bytes, count, Math.max(2, Math.round(count / 10)), (f) => step(f, `${size.label} raw frames through pipes`));
        raw.get(size.label)!.push(framesPerSecond(run.frames, run.micros));
        done++;
      }
    }
    const rawName = 'raw frames through a three-process chain of pipes';
    for (const size of FRAME_SIZES) {
      const at = `@ ${size.width}x${size.height}`;
      const fps = median(ours.get(size.label)!);
      const rawFps = median(raw.get(size.label)!);
      metrics.push(
        metric({ id: `pipeline.fps.${size.label}`, name: `three-process pipeline frames/s ${at}`, value: fps, unit: 'frames/s', better: 'higher', baseline: { name: rawName, value: rawFps }, target: '>= 5,000 frames/s', meets: (value) => value >= 5000 }),
        metric({ id: `pipeline.frame-time.${size.label}`, name: `three-process pipeline time per frame ${at}`, value: 1e6 / fps, unit: 'us', better: 'lower', baseline: { name: rawName, value: 1e6 / rawFps } }),
      );
    }
    const all = FRAME_SIZES.map((size) => median(ours.get(size.label)!));
    notes.push(
      `sync per edge: ${edges.join('; ')}`,
      `per size: ${frames - warmup} frames timed after ${warmup} warm-up, median of ${rounds} round(s); raw chain ${FRAME_SIZES.map((size) => `${size.label} ${rawCounts.get(size.label)}`).join(', ')} frames (10% warm-up)`,
      `flatness across sizes (slowest / fastest frames/s): ${(Math.min(...all) / Math.max(...all)).toFixed(2)}`,
    );

    step(0, 'per-node overhead');
    const overhead = await nodeOverhead(quick ? 2000 : 20_000);
    done++;
    metrics.push(
      metric({
        id: 'pipeline.node-overhead',
        name: 'node helper overhead per node per frame (in-process chain of 10 pass-through filters)',
        value: overhead.geyserUs,
        unit: 'us',
        better: 'lower',
        baseline: { name: '10 plain RxJS map operators', value: overhead.rxjsUs },
        target: '< 50 us',
        meets: (value) => value < 50,
      }),
    );

    // The same pipeline on the Vulkan backend, where it opens: on a GPU its edges use exported
    // timeline semaphores; on lavapipe the degraded fence-wait path. Textures there are not
    // CPU-mapped, so frames carry their seq only (a GPU would render them).
    const vulkanFrames = quick ? 300 : 3000;
    const at = '@ 1920x1080';
    const baseline = { name: rawName, value: median(raw.get('1080p')!) };
    if (!vulkan.usable) {
      metrics.push(metric({ id: 'pipeline.fps.1080p.vulkan', name: `three-process pipeline frames/s on Vulkan ${at}`, value: null, unit: 'frames/s', better: 'higher', baseline, reason: `the Vulkan backend is not usable here: ${vulkan.reason}` }));
    } else {
      const run = await runThreeProcessPipeline(1920, 1080, vulkanFrames, Math.round(vulkanFrames / 10), (f) => step(f, 'Vulkan 1080p pipeline'), 'vulkan');
      const degraded = run.edges.find((edge) => edge.includes('degraded'));
      metrics.push(
        metric({
          id: 'pipeline.fps.1080p.vulkan',
          name: `three-process pipeline frames/s on Vulkan ${at}`,
          value: framesPerSecond(run.frames, run.micros),
          unit: 'frames/s',
          better: 'higher',
          baseline,
          target: '>= 5,000 frames/s',
          meets: (value) => value >= 5000,
          reason: degraded ? `degraded sync path on this device: ${degraded}` : undefined,
        }),
      );
      notes.push(`Vulkan (${vulkan.reason}): ${run.frames} frames timed; sync per edge: ${run.edges.join('; ')}`);
    }
    return { metrics, notes };
  },
};

export default pipelineBench;
