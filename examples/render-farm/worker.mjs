// A render-farm worker, run in its own process by inChildProcess(): for every job frame it renders
// its own tile of the picture (a Mandelbrot zoom) into a frame of its own shared-texture pool and
// sends it on. Only the frame's slot number crosses the process boundary per frame.
import { defineFilter, tileRect } from 'geyser';

/** Renders tile `rect` of frame `seq` of a width x height Mandelbrot zoom into `data` (RGBA). */
export function renderTile(data, rect, width, height, seq) {
  const zoom = 1.5 * Math.pow(0.97, seq);
  const cx = -0.743643887037151;
  const cy = 0.13182590420533;
  const scale = (2 * zoom) / height;
  const maxIterations = 96;
  let p = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    const ci = cy + (y - height / 2) * scale;
    for (let x = rect.x; x < rect.x + rect.width; x++) {
      const cr = cx + (x - width / 2) * scale;
      let zr = 0;
      let zi = 0;
      let i = 0;
      while (i < maxIterations && zr * zr + zi * zi < 4) {
        const t = zr * zr - zi * zi + cr;
        zi = 2 * zr * zi + ci;
        zr = t;
        i++;
      }
      const v = i === maxIterations ? 0 : i / maxIterations;
      data[p++] = Math.round(255 * Math.sqrt(v));
      data[p++] = Math.round(255 * v * v);
      data[p++] = Math.round(255 * (1 - v) * (i === maxIterations ? 0 : 1));
      data[p++] = 255;
    }
  }
}

export default function worker({ index, workers, width, height }) {
  const rect = tileRect(index, workers, 1, width, height);
  return defineFilter(`worker${index}`, (scope) => ({
    async next(job) {
      const { manager } = scope.context;
      const tile = await scope.acquireFrame(
        { width: rect.width, height: rect.height, format: 'rgba8unorm' },
        { seq: job.seq, pts: job.pts, metadata: { tile: index, pid: process.pid } },
      );
      // Render straight into shared memory where the backend maps it; else upload once.
      const mapped = manager.mapTexture?.(tile.texture);
      const data = mapped ?? new Uint8Array(rect.width * rect.height * 4);
      renderTile(data, rect, width, height, job.seq);
      if (!mapped) manager.writeTexture(tile.texture, data);
      scope.emit(tile);
    },
  }));
}
