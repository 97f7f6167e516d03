// testPattern on the Vulkan backend (lavapipe here) draws rgba8unorm storage frames on the GPU
// (gpuTestPattern: no pixel crosses to the host), byte-equal to the host backend's frames, in this
// process and in a child; other formats are drawn on the CPU and uploaded, and the node says which.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  createPipelineContext, createRgbaImage, createTextureShareManager, drawTestPattern, hashSink, inChildProcess, pipeline, testPattern,
  VulkanTextureShareManager, type TextureFormat,
} from '../src/index.js';
import { collectSink, type CollectedFrame } from './helpers/collect-sink.js';
import { childProcessCount, openFdCount } from './helpers/resources.js';
import { fixturePath, fixtureUrl } from './pipeline-helpers.js';

const NO_VULKAN = await createTextureShareManager({ backend: 'vulkan' }).then(
  (manager) => (manager.dispose(), false),
  () => true,
);
const W = 101; // odd, and not a multiple of the 16x16 work group
const H = 57;
const FRAMES = 5;
const scratch = mkdtempSync(join(tmpdir(), 'geyser-pattern-gpu-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Frames of testPattern on `backend`, with the dispatches and uploads the Vulkan manager saw. */
async function run(backend: 'host' | 'vulkan', format: TextureFormat = 'rgba8unorm'): Promise<{ frames: CollectedFrame[]; dispatches: number; uploads: number }> {
  const dispatch = vi.spyOn(VulkanTextureShareManager.prototype, 'dispatchComputeAsync');
  const upload = vi.spyOn(VulkanTextureShareManager.prototype, 'writeTexture');
  const manager = await createTextureShareManager({ backend });
  try {
    const context = await createPipelineContext({ manager });
    const sink = collectSink();
    try {
      await pipeline(testPattern({ width: W, height: H, frames: FRAMES, format }), sink, { context }).done;
    } finally {
      context.dispose();
    }
    return { frames: sink.frames, dispatches: dispatch.mock.calls.length, uploads: upload.mock.calls.length };
  } finally {
    manager.dispose();
    dispatch.mockRestore();
    upload.mockRestore();
  }
}

describe.skipIf(NO_VULKAN)('testPattern on Vulkan', () => {
  it('draws rgba8unorm frames on the GPU (one dispatch a frame, no upload), byte-equal to the host backend', async () => {
    const vulkan = await run('vulkan');
    const host = await run('host');
    expect(vulkan.dispatches).toBe(FRAMES);
    expect(vulkan.uploads).toBe(0);
    expect(vulkan.frames.map((frame) => frame.seq)).toEqual([...Array(FRAMES).keys()]);
    for (const [i, frame] of vulkan.frames.entries()) {
      expect(frame.format).toBe('rgba8unorm');
      expect(Buffer.from(frame.pixels).equals(Buffer.from(host.frames[i]!.pixels))).toBe(true);
      expect(Buffer.from(frame.pixels).equals(Buffer.from(drawTestPattern(createRgbaImage(W, H), i).data))).toBe(true);
    }
  });

  it.each(['bgra8unorm', 'rgba8unorm-srgb'] as const)('draws %s frames on the CPU and uploads them, the same bytes as on the host backend', async (format) => {
    const vulkan = await run('vulkan', format);
    const host = await run('host', format);
    expect(vulkan.dispatches).toBe(0);
    expect(vulkan.uploads).toBe(FRAMES);
    for (const [i, frame] of vulkan.frames.entries()) {
      expect(frame.format).toBe(format);
      expect(Buffer.from(frame.pixels).equals(Buffer.from(host.frames[i]!.pixels))).toBe(true);
    }
  });

  it('stamps every GPU frame so hashSink verifies it, over many frames', async () => {
    const hashes = hashSink();
    await pipeline(testPattern({ width: 64, height: 36, frames: 40 }), hashes, { backend: 'vulkan' }).done;
    expect(hashes.results.map((hash) => [hash.seq, hash.stampSeq, hash.ok])).toEqual([...Array(40).keys()].map((seq) => [seq, seq, true]));
    expect(new Set(hashes.results.map((hash) => hash.crc)).size).toBe(40);
  });

  it('stops mid-stream (a GPU draw in flight) without an error or a leaked fd', async () => {
    await pipeline(testPattern({ width: 32, height: 16, frames: 1 }), hashSink(), { backend: 'vulkan' }).done; // warm-up: pipelines, driver threads
    const fds = openFdCount();
    for (const delay of [0, 40, 95]) {
      const hashes = hashSink();
      const run = pipeline(testPattern({ width: 320, height: 180 }), hashes, { backend: 'vulkan' });
      await new Promise((resolve) => setTimeout(resolve, delay));
      run.stop();
      await run.done;
      expect(hashes.results.every((hash, i) => hash.seq === i && hash.ok)).toBe(true);
      // `done` waits for a draw still on the GPU queue: its texture (and fd) are gone by then.
      expect(openFdCount()).toBe(fds);
    }
  });

  it('reports its path once through NODE_DEBUG=geyser', () => {
    const report = (backend: string, format: string): string[] => {
      const child = spawnSync(process.execPath, [fixturePath('test-pattern-path.mjs'), backend, format], { env: { ...process.env, NODE_DEBUG: 'geyser' }, encoding: 'utf8', timeout: 60_000 });
      expect(child.status).toBe(0);
      return child.stderr.split('\n').filter((line) => line.includes("node 'testPattern' runs"));
    };
    expect(report('vulkan', 'rgba8unorm')).toEqual([expect.stringMatching(/node 'testPattern' runs its GPU kernel \(Vulkan compute\) on each frame$/)]);
    expect(report('vulkan', 'bgra8unorm')).toEqual([expect.stringMatching(/node 'testPattern' runs its CPU kernel: frames are bgra8unorm, the GPU kernels take rgba8unorm$/)]);
    expect(report('host', 'rgba8unorm')).toEqual([expect.stringMatching(/node 'testPattern' runs its CPU kernel: the host backend has no GPU kernels$/)]);
  });

  it('drawn on the GPU in a child process, its frames verify in hashSink here', async () => {
    const fds = openFdCount();
    const children = childProcessCount();
    const countFile = join(scratch, 'child-dispatches');
    const hashes = hashSink();
    await pipeline(inChildProcess(fixtureUrl('gpu-test-pattern-source.mjs'), { options: { width: 320, height: 180, frames: 12, countFile } }), hashes, { backend: 'vulkan' }).done;
    expect(hashes.results.map((hash) => [hash.seq, hash.stampSeq, hash.ok])).toEqual([...Array(12).keys()].map((seq) => [seq, seq, true]));
    expect(readFileSync(countFile, 'utf8')).toBe('12'); // the child drew every frame on the GPU
    expect(childProcessCount()).toBe(children);
    expect(openFdCount()).toBe(fds);
  });

  it('drawn on the GPU here, its frames verify when a child process reads them', async () => {
    const fds = openFdCount();
    const children = childProcessCount();
    const sink = collectSink();
    await pipeline(testPattern({ width: 160, height: 90, frames: 8 }), inChildProcess(fixtureUrl('verify-checksum-filter.mjs')), sink, { backend: 'vulkan' }).done;
    expect(sink.frames.map((frame) => [frame.seq, frame.metadata.childSeq, frame.metadata.childOk])).toEqual([...Array(8).keys()].map((seq) => [seq, seq, true]));
    expect(sink.frames.every((frame) => frame.metadata.childPid !== process.pid)).toBe(true);
    expect(childProcessCount()).toBe(children);
    expect(openFdCount()).toBe(fds);
  });
});
