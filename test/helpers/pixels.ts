/** Test helpers: seeded images and a synchronous ffmpeg runner for cross-checks against a real codec. */
import { spawnSync } from 'node:child_process';
import type { RgbaImage } from '../../src/index.js';

/** A small seeded PRNG (mulberry32), so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An image of uniformly random bytes (noise: the worst case for rounding). */
export function randomImage(width: number, height: number, seed = 1): RgbaImage {
  const next = seededRandom(seed);
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(next() * 256);
  return { data, width, height };
}

/** An opaque image of smooth gradients (what resampling and chroma subsampling are made for). */
export function smoothImage(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = Math.round((x * 255) / Math.max(1, width - 1));
      data[i + 1] = Math.round((y * 255) / Math.max(1, height - 1));
      data[i + 2] = Math.round(128 + 100 * Math.sin((x + y) / 17));
      data[i + 3] = 255;
    }
  }
  return { data, width, height };
}

/** The largest absolute difference between two equal-length byte arrays. */
export function maxDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Runs ffmpeg with `args`, feeding `input` on stdin; returns stdout; throws with stderr on failure. */
export function ffmpeg(args: readonly string[], input?: Uint8Array): Buffer {
  const result = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...args], { input, maxBuffer: 1 << 28 });
  if (result.error !== undefined) throw result.error;
  if (result.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${result.stderr.toString()}`);
  return result.stdout;
}
