// Frames per second through a three-process pipeline (producer process -> pass-through filter
// process -> consumer in this process) on the host backend, at 720p, 1080p and 4K, beside the same
// three-process chain passing the raw frame bytes through pipes, measured in the same run. Also the
// per-node overhead of the node helper (in-process chain of pass-through filters).
//
//   npm run build:ts && node bench/pipeline-throughput.mjs [--frames N] [--json]
//
// Geyser moves a {slot, seq, pts} message per frame and per hop (pool slots were exported once);
// the pipe baseline moves width*height*4 bytes per frame per hop. Timings are steady state: from the
// consumer's first frame to its last (process start-up and slot export excluded), and also total.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createPipelineContext, defineFilter, defineSink, defineSource, inChildProcess, pipeline } from '../dist/index.js';

const { values } = parseArgs({
  options: { frames: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '3' }, json: { type: 'boolean', default: false } },
});
const FRAMES = Number(values.frames);
// Sizes are interleaved round by round and the median kept, so load from other processes on a
// shared machine spreads over every size instead of landing on one.
const ROUNDS = Number(values.rounds);
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const SIZES = [
  ['1280x720', 1280, 720],
  ['1920x1080', 1920, 1080],
  ['3840x2160', 3840, 2160],
];
const fixture = (name) => new URL(`./fixtures/${name}`, import.meta.url);

async function geyserRun(width, height, frames) {
  let first = 0;
  let last = 0;
  let expected = 0;
  const consumer = defineSink('consumer', (scope) => ({
    next(frame) {
      const seq = new DataView(scope.context.manager.mapTexture(frame.texture).buffer).getUint32(0, true);
      if (seq !== expected++ || seq !== frame.seq) throw new Error(`frame ${seq} arrived out of order (expected ${expected - 1})`);
      if (seq === 0) first = performance.now();
      last = performance.now();
    },
  }));
  const start = performance.now();
  await pipeline(
    inChildProcess(fixture('pipeline-bench-producer.mjs'), { name: 'producer', options: { width, height, frames } }),
    inChildProcess(fixture('pipeline-bench-passthrough.mjs'), { name: 'passthrough' }),
    consumer,
    { backend: 'host' },
  ).done;
  const total = performance.now() - start;
  if (expected !== frames) throw new Error(`only ${expected} of ${frames} frames arrived`);
  return { fps: ((frames - 1) / (last - first)) * 1000, totalFps: (frames / total) * 1000 };
}

async function pipeRun(width, height, frames) {
  const bytes = width * height * 4;
  const stage = fixture('raw-pipe-stage.mjs').pathname;
  const producer = spawn(process.execPath, [stage, 'producer', String(bytes), String(frames)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const filter = spawn(process.execPath, [stage, 'filter', String(bytes), String(frames)], { stdio: ['pipe', 'pipe', 'inherit'] });
  producer.stdout.pipe(filter.stdin);
  const start = performance.now();
  let first = 0;
  let received = 0;
  let frameCount = 0;
  await new Promise((resolve, reject) => {
    filter.stdout.on('data', (chunk) => {
      if (received === 0) first = performance.now();
      received += chunk.length;
      frameCount = Math.floor(received / bytes);
    });
    filter.stdout.on('end', resolve);
    filter.on('error', reject);
  });
  const last = performance.now();
  await Promise.all([producer, filter].map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)));
  if (frameCount !== frames) throw new Error(`pipes delivered ${frameCount} of ${frames} frames`);
  return { fps: ((frames - 1) / (last - first)) * 1000, totalFps: (frames / (last - start)) * 1000 };
}

/** Per-node cost of the node helper: a chain of `filters` pass-through nodes in one process. */
async function nodeOverhead(frames, filters) {
  const context = await createPipelineContext({ backend: 'host' });
  const source = defineSource('source', async (scope) => {
    for (let seq = 0; seq < frames; seq++) scope.emit(await scope.acquireFrame({ width: 64, height: 64, format: 'rgba8unorm' }, { seq }));
  });
  const stages = Array.from({ length: filters }, (_, i) => defineFilter('pass', (scope) => ({ next: (frame) => scope.emit(frame) }), { name: `pass${i}` }));
  const start = performance.now();
  await pipeline(source, ...stages, defineSink('sink', () => ({ next: () => undefined })), { context }).done;
  const ms = performance.now() - start;
  context.dispose();
  return ms;
}

const samples = new Map(SIZES.map(([label]) => [label, { geyser: [], geyserTotal: [], pipes: [] }]));
// All Geyser rounds first, then the pipe rounds: the pipes leave gigabytes of garbage behind, and
// collecting it must not land inside a Geyser measurement.
for (let round = 0; round < ROUNDS; round++) {
  for (const [label, width, height] of SIZES) {
    const geyser = await geyserRun(width, height, FRAMES);
    samples.get(label).geyser.push(geyser.fps);
    samples.get(label).geyserTotal.push(geyser.totalFps);
  }
}
for (let round = 0; round < ROUNDS; round++) {
  for (const [label, width, height] of SIZES) {
    const rawFrames = Math.max(30, Math.min(FRAMES, Math.floor(1.5e9 / (width * height * 4))));
    samples.get(label).pipes.push((await pipeRun(width, height, rawFrames)).fps);
    samples.get(label).pipeFrames = rawFrames;
  }
}
const results = SIZES.map(([label]) => {
  const entry = samples.get(label);
  const geyserFps = median(entry.geyser);
  const pipeFps = median(entry.pipes);
  return { size: label, geyserFps, geyserTotalFps: median(entry.geyserTotal), pipeFps, pipeFrames: entry.pipeFrames, speedup: geyserFps / pipeFps, perHopUs: 1e6 / geyserFps / 2, geyserSamples: entry.geyser };
});
const NODE_FRAMES = 20_000;
await nodeOverhead(2000, 10); // warm up
const base = await nodeOverhead(NODE_FRAMES, 0);
const ten = await nodeOverhead(NODE_FRAMES, 10);
const perNodeUs = ((ten - base) / (10 * NODE_FRAMES)) * 1000;

if (values.json) {
  console.log(JSON.stringify({ frames: FRAMES, results, perNodeUs }, null, 2));
} else {
  console.log(`three-process pipeline, pass-through filter, host backend, ${FRAMES} frames per size, median of ${ROUNDS} rounds`);
  console.log('(steady state; total incl. process start-up in brackets; per hop = 1 / fps / 2 hops)');
  console.log('size        geyser fps      per hop    raw pipes fps        geyser / pipes');
  for (const r of results) {
    console.log(
      `${r.size.padEnd(11)} ${r.geyserFps.toFixed(0).padStart(6)} (${r.geyserTotalFps.toFixed(0).padStart(5)}) ${r.perHopUs.toFixed(0).padStart(6)} us   ${r.pipeFps.toFixed(1).padStart(8)} (${r.pipeFrames} fr)   ${r.speedup.toFixed(1).padStart(8)}x`,
    );
  }
  const fps = results.map((r) => r.geyserFps);
  console.log(`flatness: slowest/fastest size = ${(Math.min(...fps) / Math.max(...fps)).toFixed(2)}`);
  console.log(`node helper overhead: ${perNodeUs.toFixed(2)} us per node per frame (in-process chain of 10 pass-through filters vs none, ${NODE_FRAMES} frames)`);
}
