#!/usr/bin/env node
// A render farm: N worker processes each render one tile of every frame into shared textures; a
// compositor in this process assembles the tiles and the encoder writes an H.264 MP4, which is then
// checked with ffprobe.
//
//   npm run example:render-farm -- --workers 4 --frames 48 --out farm.mp4
//
// Graph: jobs -> fanOut(worker 0 .. worker N-1, each in its own process) -> compositor -> encode.
// A job is a tiny frame that only carries seq and pts; each tile frame comes back from a worker's
// pool (exported to this process once per slot, then only slot numbers travel).
import { parseArgs } from 'node:util';
import { compositeTiles, defineFilter, defineSource, encode, fanOut, inChildProcess, pipeline, probeVideo } from 'geyser';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '3' },
    frames: { type: 'string', default: '48' },
    size: { type: 'string', default: '480x270' },
    fps: { type: 'string', default: '24' },
    out: { type: 'string', default: 'farm.mp4' },
    backend: { type: 'string', default: 'auto' },
  },
});
const workers = Number(values.workers);
const frames = Number(values.frames);
const fps = Number(values.fps);
const [width, height] = values.size.split('x').map(Number);
if (!Number.isInteger(workers) || workers < 1 || workers > 16) throw new Error(`--workers must be 1 to 16, got ${values.workers}`);

/** One small job frame per output frame: the work order the workers share. */
const jobs = defineSource('jobs', async (scope) => {
  for (let seq = 0; seq < frames && !scope.closed; seq++) {
    scope.emit(await scope.acquireFrame({ width: 2, height: 2, format: 'rgba8unorm' }, { seq, pts: Math.round((seq * 1e6) / fps) }));
  }
});

/** Waits for all N tiles of a frame, then composites them into one full frame. */
const tilePids = new Map();
const compositor = defineFilter('compositor', (scope) => {
  const pending = new Map(); // seq -> tile frames (retained)
  scope.add(() => pending.forEach((tiles) => tiles.forEach((tile) => tile.release())));
  return {
    async next(tile) {
      const tiles = pending.get(tile.seq) ?? [];
      tiles[tile.metadata.tile] = tile.retain(); // keep it past this call
      pending.set(tile.seq, tiles);
      tilePids.set(tile.metadata.tile, tile.metadata.pid);
      if (tiles.filter(Boolean).length < workers) return;
      pending.delete(tile.seq);
      const { manager } = scope.context;
      const out = await scope.acquireFrame({ width, height, format: 'rgba8unorm' }, { seq: tile.seq, pts: tile.pts });
      const images = tiles.map((t) => ({ data: manager.readTexture(t.texture), width: t.width, height: t.height }));
      const canvas = { data: manager.mapTexture?.(out.texture) ?? new Uint8Array(width * height * 4), width, height };
      compositeTiles(images, canvas, { columns: workers });
      if (!manager.mapTexture) manager.writeTexture(out.texture, canvas.data);
      tiles.forEach((t) => t.release());
      scope.emit(out);
    },
  };
});

const workerUrl = new URL('./worker.mjs', import.meta.url);
const branches = Array.from({ length: workers }, (_, index) => [inChildProcess(workerUrl, { name: `worker${index}`, options: { index, workers, width, height } })]);
const started = performance.now();
const run = pipeline(jobs, fanOut(...branches), compositor, encode({ output: values.out, fps, preset: 'veryfast' }), { backend: values.backend });
await run.ready;
await run.done;
const seconds = (performance.now() - started) / 1000;

const probe = await probeVideo(values.out);
console.log(`${workers} workers (pids ${[...tilePids.values()].join(', ')}) rendered ${frames} frames in ${seconds.toFixed(2)} s (${(frames / seconds).toFixed(1)} fps)`);
console.log(`${values.out}: ${probe.codec} ${probe.width}x${probe.height}, ${probe.frames} frames`);
const distinctWorkers = new Set(tilePids.values()).size === workers && !tilePids.has(undefined);
const ok = probe.codec === 'h264' && probe.width === width && probe.height === height && probe.frames === frames && distinctWorkers;
console.log(ok ? 'OK' : 'MISMATCH');
process.exitCode = ok ? 0 : 1;
