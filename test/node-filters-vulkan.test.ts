// grayscale(), scale(), blur() and colorConvert() in Vulkan pipelines (lavapipe here) take their GPU
// kernels, and their output matches the same node on the host backend: exact for grayscale, blur and
// colorConvert, within one level for scale (float32 sample positions on the GPU). Frames without
// storage-binding usage take the CPU kernels, with the same result.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blur, colorConvert, grayscale, pipeline, probeVideo, scale, testPattern, type Frame, type OperatorNode, type SourceNode } from '../src/index.js';
import { collectSink } from './helpers/collect-sink.js';
import { expectNoLeaksPerTest } from './helpers/resources.js';
import { copyOnlyPattern, runWatchingVulkan, type WatchedRun } from './helpers/vulkan-pipeline-run.js';
import { maxDifference } from './gpu-reference.js';
import { fixturePath } from './pipeline-helpers.js';
import { NO_VULKAN } from './helpers/vulkan-available.js';

const W = 64;
const H = 48;
const FRAMES = 4;

/** Runs source -> filter -> collect on `backend` (default source: the test pattern). */
function run(backend: 'host' | 'vulkan', filter: OperatorNode<Frame, Frame>, source: SourceNode<Frame> = testPattern({ width: W, height: H, frames: FRAMES })): Promise<WatchedRun> {
  return runWatchingVulkan(backend, source, filter, FRAMES);
}

expectNoLeaksPerTest();

// Skipped only where no Vulkan device opens at all (no loader or ICD): there is no GPU path to test.
describe.skipIf(NO_VULKAN)('filter nodes on Vulkan run their GPU kernels', () => {
  const cases: Array<{ name: string; make: () => OperatorNode<Frame, Frame>; dispatchesPerFrame: number; tolerance: number; size: [number, number, string] }> = [
    { name: 'grayscale', make: () => grayscale(), dispatchesPerFrame: 1, tolerance: 0, size: [W, H, 'rgba8unorm'] },
    { name: 'scale', make: () => scale({ width: 40, height: 30 }), dispatchesPerFrame: 1, tolerance: 1, size: [40, 30, 'rgba8unorm'] },
    { name: 'scale (up)', make: () => scale({ width: 100, height: 75 }), dispatchesPerFrame: 1, tolerance: 1, size: [100, 75, 'rgba8unorm'] },
    { name: 'blur', make: () => blur({ radius: 3 }), dispatchesPerFrame: 2, tolerance: 0, size: [W, H, 'rgba8unorm'] },
    { name: 'blur, 3 passes', make: () => blur({ radius: 2, passes: 3 }), dispatchesPerFrame: 6, tolerance: 0, size: [W, H, 'rgba8unorm'] },
    { name: 'colorConvert to nv12', make: () => colorConvert({ to: 'nv12' }), dispatchesPerFrame: 1, tolerance: 0, size: [W, (H * 3) / 2, 'r8unorm'] },
    { name: 'colorConvert to i420, bt601', make: () => colorConvert({ to: 'i420', matrix: 'bt601' }), dispatchesPerFrame: 1, tolerance: 0, size: [W, (H * 3) / 2, 'r8unorm'] },
  ];
  for (const { name, make, dispatchesPerFrame, tolerance, size } of cases) {
    it(`${name}: GPU dispatches on Vulkan, none on host; output matches the host node (max difference ${tolerance})`, async () => {
      const host = await run('host', make());
      const vulkan = await run('vulkan', make());
      expect(host.dispatches).toBe(0);
      // Plus one per frame for the source: testPattern draws rgba8unorm storage frames on the GPU too.
      expect(vulkan.dispatches).toBe(FRAMES * (dispatchesPerFrame + 1));
      expect(vulkan.allTexturesReleased).toBe(true);
      for (const [i, frame] of vulkan.frames.entries()) {
        expect([frame.width, frame.height, frame.format]).toEqual(size);
        expect(maxDifference(frame.pixels, host.frames[i]!.pixels)).toBeLessThanOrEqual(tolerance);
      }
    });
  }

  it('bad frames fail the Vulkan pipeline with the same errors as on the host backend', async () => {
    const odd = pipeline(testPattern({ width: 33, height: 20, frames: 2 }), colorConvert({ to: 'nv12' }), collectSink(), { backend: 'vulkan' });
    await expect(odd.done).rejects.toThrow('colorConvert needs even frame sizes for 4:2:0 but frame 0 is 33x20');
    // bgra8unorm frames have no GPU kernel: the CPU path's format check names the node and frame.
    const bgra = pipeline(testPattern({ width: W, height: H, frames: 2, format: 'bgra8unorm' }), grayscale(), collectSink(), { backend: 'vulkan' });
    await expect(bgra.done).rejects.toThrow("node 'grayscale' works on rgba8unorm or rgba8unorm-srgb frames but frame 0 is bgra8unorm");
  });

  it('frames without storage-binding usage take the CPU kernels on Vulkan, with the same output', async () => {
    for (const make of [() => grayscale(), () => blur({ radius: 3, passes: 2 }), () => colorConvert({ to: 'i420' })]) {
      const host = await run('host', make());
      const vulkan = await run('vulkan', make(), copyOnlyPattern('copyOnly', W, H, FRAMES));
      expect(vulkan.dispatches).toBe(0);
      for (const [i, frame] of vulkan.frames.entries()) expect(Buffer.from(frame.pixels).equals(Buffer.from(host.frames[i]!.pixels))).toBe(true);
    }
  });

  it('reports the chosen path once per node through NODE_DEBUG=geyser', () => {
    const report = (backend: string, filter: string): string[] => {
      const child = spawnSync(process.execPath, [fixturePath('gpu-filter-path.mjs'), backend, filter], { env: { ...process.env, NODE_DEBUG: 'geyser' }, encoding: 'utf8', timeout: 30_000 });
      expect(child.status).toBe(0);
      return child.stderr.split('\n').filter((line) => line.includes(`node '${filter}' runs`));
    };
    for (const filter of ['grayscale', 'scale', 'blur', 'colorConvert']) {
      expect(report('vulkan', filter)).toEqual([expect.stringMatching(new RegExp(`^GEYSER \\d+: node '${filter}' runs its GPU kernel \\(Vulkan compute\\) on each frame$`))]);
    }
    expect(report('host', 'grayscale')).toEqual([expect.stringMatching(/^GEYSER \d+: node 'grayscale' runs its CPU kernel: the host backend has no GPU kernels$/)]);
  });

  it('runs the GPU kernels in the stage processes of `geyser demo --backend vulkan` (textures imported across processes)', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'geyser-gpu-demo-'));
    try {
      const output = join(scratch, 'demo.mp4');
      const args = [resolve('dist/cli/main.js'), 'demo', '--backend', 'vulkan', '--frames', '30', '--size', '640x360', '--out', output];
      const child = spawnSync(process.execPath, args, { env: { ...process.env, NODE_DEBUG: 'geyser' }, encoding: 'utf8', timeout: 60_000 });
      expect(child.status).toBe(0);
      const gpuLines = child.stderr.split('\n').filter((line) => / runs its GPU kernel /.test(line));
      // Several processes write to one stderr: their lines may come in either order. The source,
      // testPattern, draws its frames on the GPU too.
      expect(gpuLines).toHaveLength(3);
      expect(gpuLines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^GEYSER \d+: node 'testPattern' runs its GPU kernel/),
          expect.stringMatching(/^GEYSER \d+: node 'grayscale' runs its GPU kernel/),
          expect.stringMatching(/^GEYSER \d+: node 'encode' runs its GPU kernel/),
        ]),
      );
      const pids = new Set(gpuLines.filter((line) => !line.includes("'testPattern'")).map((line) => line.split(':')[0]));
      expect(pids.size).toBe(2); // grayscale and encode run in two different stage processes
      expect(pids.has(`GEYSER ${child.pid}`)).toBe(false);
      expect(await probeVideo(output)).toMatchObject({ codec: 'h264', width: 640, height: 360, frames: 30 });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
