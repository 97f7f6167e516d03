// composite() in Vulkan pipelines (lavapipe here): with rgba8unorm storage frames (the Vulkan
// default) it composes on the GPU (gpuCompositeTilesAsync / gpuOverlayAsync, one dispatch per
// input) and its output matches the same pipeline on the host backend: within 1 level for tiles
// (bilinear sampling with float32 positions, as scale), exact for overlay. Frames without
// storage-binding usage take the CPU kernels, with the host's output exactly.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { composite, defineSource, fanIn, testPattern, type CompositeOptions, type Frame, type SourceNode, type TextureUsage } from '../src/index.js';
import { expectNoLeaksPerTest } from './helpers/resources.js';
import { copyOnlyPattern, runWatchingVulkan, type WatchedRun } from './helpers/vulkan-pipeline-run.js';
import { NO_VULKAN } from './helpers/vulkan-available.js';
import { maxDifference, randomBytes } from './gpu-reference.js';
import { fixturePath } from './pipeline-helpers.js';

const FRAMES = 3;

/** A source of random RGBA frames (alpha included, different each frame), with the given usage or the backend's default. */
function randomSource(name: string, width: number, height: number, usage?: TextureUsage[]): SourceNode<Frame> {
  return defineSource(name, async (scope) => {
    for (let seq = 0; seq < FRAMES; seq++) {
      const frame = await scope.acquireFrame({ width, height, format: 'rgba8unorm', usage }, { seq });
      scope.context.manager.writeTexture(frame.texture, randomBytes(width * height * 4, 1000 * seq + width * 7 + height));
      scope.emit(frame);
    }
  });
}

/** Runs fanIn(...sources()) -> composite(options) -> collect on `backend`. */
function run(backend: 'host' | 'vulkan', sources: () => SourceNode<Frame>[], options: CompositeOptions): Promise<WatchedRun> {
  return runWatchingVulkan(backend, fanIn(...sources()), composite(options), FRAMES);
}

expectNoLeaksPerTest();

// Skipped only where no Vulkan device opens at all (no loader or ICD): there is no GPU path to test.
describe.skipIf(NO_VULKAN)('composite on Vulkan runs on the GPU', () => {
  const cases: Array<{ name: string; sources: () => SourceNode<Frame>[]; options: CompositeOptions; size: [number, number]; gpuSources: number; tolerance: number }> = [
    {
      name: 'tiles of three test patterns into 100x75, 2 columns, background',
      sources: () => [testPattern({ width: 64, height: 36, frames: FRAMES }), testPattern({ width: 32, height: 18, frames: FRAMES, name: 'small' }), testPattern({ width: 48, height: 48, frames: FRAMES, name: 'square' })],
      options: { layout: 'tiles', width: 100, height: 75, columns: 2, background: [20, 40, 60, 255] },
      size: [100, 75],
      gpuSources: 3, // testPattern draws rgba8unorm storage frames on the GPU too
      tolerance: 1,
    },
    {
      name: 'tiles of five random inputs with alpha, default size and grid',
      sources: () => [randomSource('a', 50, 30), randomSource('b', 20, 20), randomSource('c', 70, 45), randomSource('d', 9, 5), randomSource('e', 50, 30)],
      options: { layout: 'tiles' },
      size: [50, 30],
      gpuSources: 0,
      tolerance: 1,
    },
    {
      name: 'overlay of random inputs with alpha: opacity 0.5 partly off-frame, negative x/y, wholly off-frame',
      sources: () => [randomSource('base', 61, 47), randomSource('logo', 20, 12), randomSource('corner', 30, 30), randomSource('gone', 10, 10)],
      options: { layout: 'overlay', layers: [{ x: 50, y: 40, opacity: 0.5 }, { x: -9, y: -14 }, { x: 61, y: 0 }] },
      size: [61, 47],
      gpuSources: 0,
      tolerance: 0,
    },
    {
      name: 'overlay with the fallback x, y, opacity after the listed layers (opacity 0, then 0.75)',
      sources: () => [testPattern({ width: 80, height: 60, frames: FRAMES }), randomSource('top', 33, 21), testPattern({ width: 20, height: 10, frames: FRAMES, name: 'logo' })],
      options: { layout: 'overlay', x: 7, y: 3, opacity: 0.75, layers: [{ x: 40, y: 30, opacity: 0 }] },
      size: [80, 60],
      gpuSources: 2,
      tolerance: 0,
    },
  ];
  for (const { name, sources, options, size, gpuSources, tolerance } of cases) {
    it(`${name}: one dispatch per input, output matches the host backend (max difference ${tolerance})`, async () => {
      const host = await run('host', sources, options);
      const vulkan = await run('vulkan', sources, options);
      expect(host.dispatches).toBe(0);
      // A wholly off-frame overlay layer costs no dispatch.
      const inputs = sources().length - (name.includes('wholly off-frame') ? 1 : 0);
      expect(vulkan.dispatches).toBe(FRAMES * (inputs + gpuSources));
      expect(vulkan.allTexturesReleased).toBe(true);
      for (const [i, frame] of vulkan.frames.entries()) {
        expect([frame.width, frame.height, frame.format]).toEqual([...size, 'rgba8unorm']);
        expect(maxDifference(frame.pixels, host.frames[i]!.pixels)).toBeLessThanOrEqual(tolerance);
      }
    });
  }

  it('frames without storage-binding usage take the CPU kernels on Vulkan, with the host output exactly', async () => {
    const sources = () => [copyOnlyPattern('a', 40, 30, FRAMES), copyOnlyPattern('b', 17, 9, FRAMES)];
    for (const options of [{ layout: 'tiles', width: 57, height: 31 }, { layout: 'overlay', x: -3, y: 25, opacity: 0.5 }] as CompositeOptions[]) {
      const host = await run('host', sources, options);
      const vulkan = await run('vulkan', sources, options);
      expect(vulkan.dispatches).toBe(0);
      for (const [i, frame] of vulkan.frames.entries()) expect(Buffer.from(frame.pixels).equals(Buffer.from(host.frames[i]!.pixels))).toBe(true);
    }
    // One storage input is not enough: every input must be a storage image.
    const mixed = await run('vulkan', () => [testPattern({ width: 40, height: 30, frames: FRAMES }), copyOnlyPattern('b', 17, 9, FRAMES)], { layout: 'tiles' });
    expect(mixed.dispatches).toBe(FRAMES); // testPattern's own
  });

  it('a bad grid fails the Vulkan pipeline with the CPU kernel’s message, and releases everything', async () => {
    const gpu = run('vulkan', () => [testPattern({ width: 8, height: 8, frames: FRAMES }), testPattern({ width: 8, height: 8, frames: FRAMES, name: 'b' })], { layout: 'tiles', columns: 3 });
    await expect(gpu).rejects.toThrow('Expected integer between 1 and 2 for columns but received 3 of type number');
    const cpu = run('host', () => [testPattern({ width: 8, height: 8, frames: FRAMES }), testPattern({ width: 8, height: 8, frames: FRAMES, name: 'b' })], { layout: 'tiles', columns: 3 });
    await expect(cpu).rejects.toThrow('Expected integer between 1 and 2 for columns but received 3 of type number');
  });

  it('reports the chosen path once through NODE_DEBUG=geyser', () => {
    const report = (backend: string, layout: string): string[] => {
      const child = spawnSync(process.execPath, [fixturePath('gpu-composite-path.mjs'), backend, layout], { env: { ...process.env, NODE_DEBUG: 'geyser' }, encoding: 'utf8', timeout: 30_000 });
      expect(child.status).toBe(0);
      return child.stderr.split('\n').filter((line) => line.includes("node 'composite' runs"));
    };
    for (const layout of ['tiles', 'overlay']) {
      expect(report('vulkan', layout)).toEqual([expect.stringMatching(/^GEYSER \d+: node 'composite' runs its GPU kernel \(Vulkan compute\) on each frame$/)]);
    }
    expect(report('host', 'tiles')).toEqual([expect.stringMatching(/^GEYSER \d+: node 'composite' runs its CPU kernel: the host backend has no GPU kernels$/)]);
  });
});
