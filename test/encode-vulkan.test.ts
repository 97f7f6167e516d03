// encode() in a Vulkan pipeline (lavapipe here): RGBA -> yuv420p runs on the GPU into one packed
// I420 texture, read back once per frame (12 bits per pixel) straight into the encoder's buffer; the file is checked with ffprobe and decoded back
// against the same pipeline on the host backend.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createPipelineContext, createTextureShareManager, encode, FfmpegDecoder, pipeline, probeVideo, testPattern, VulkanTextureShareManager } from '../src/index.js';
import { expectSettledPerTest } from './ffmpeg-leaks.js';
import { NO_VULKAN } from './helpers/vulkan-available.js';

const scratch = mkdtempSync(join(tmpdir(), 'geyser-encode-vulkan-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

expectSettledPerTest();

const W = 64;
const H = 48;
const FRAMES = 10;

/**
 * Encodes FRAMES test pattern frames on `backend`; returns the output path, the compute dispatches,
 * the readbacks (allocating `readTexture` calls and `readTextureInto` calls with the bytes they
 * read), and whether every texture created was released.
 */
async function encodeOn(backend: 'host' | 'vulkan'): Promise<{ output: string; dispatches: number; readTextureCalls: number; readIntoCalls: number; readBytes: number; allTexturesReleased: boolean }> {
  const output = join(scratch, `${backend}.mp4`);
  const dispatch = vi.spyOn(VulkanTextureShareManager.prototype, 'dispatchComputeAsync');
  const read = vi.spyOn(VulkanTextureShareManager.prototype, 'readTexture');
  const readInto = vi.spyOn(VulkanTextureShareManager.prototype, 'readTextureInto');
  const create = vi.spyOn(VulkanTextureShareManager.prototype, 'createShareableTexture');
  // Our own manager, kept open past the run: disposing it would mark every texture released.
  const manager = await createTextureShareManager({ backend });
  try {
    const context = await createPipelineContext({ manager });
    try {
      await pipeline(testPattern({ width: W, height: H, frames: FRAMES }), encode({ output, fps: 30, crf: 10 }), { context }).done;
    } finally {
      context.dispose(); // the pools; not the manager
    }
    const readBytes = [...read.mock.results, ...readInto.mock.results].reduce((sum, result) => sum + (result.value as Uint8Array).byteLength, 0);
    const allTexturesReleased = create.mock.results.every((result) => (result.value as { released: boolean }).released);
    return { output, dispatches: dispatch.mock.calls.length, readTextureCalls: read.mock.calls.length, readIntoCalls: readInto.mock.calls.length, readBytes, allTexturesReleased };
  } finally {
    manager.dispose();
    dispatch.mockRestore();
    read.mockRestore();
    readInto.mockRestore();
    create.mockRestore();
  }
}

/** The first frame of `path`, decoded back to RGBA. */
async function firstFrame(path: string): Promise<Uint8Array> {
  const decoder = FfmpegDecoder.open({ input: path, width: W, height: H, frames: 1 });
  try {
    return (await decoder.read())!;
  } finally {
    await decoder.close();
  }
}

// Skipped only where no Vulkan device opens at all (no loader or ICD): there is no GPU path to test.
describe.skipIf(NO_VULKAN)('encode on Vulkan', () => {
  it('converts to yuv420p on the GPU, reads back 12 bits per pixel once per frame, and writes the file the host backend writes', async () => {
    const vulkan = await encodeOn('vulkan');
    expect(vulkan.dispatches).toBe(2 * FRAMES); // per frame: testPattern's draw, one RGBA -> packed I420 dispatch
    expect(vulkan.readTextureCalls).toBe(0); // no allocating readback (no plane, no RGBA frame)...
    expect(vulkan.readIntoCalls).toBe(FRAMES); // ...one readback per frame, into the encoder's buffer
    expect(vulkan.readBytes).toBe(FRAMES * (W * H * 3) / 2); // 12 bits per pixel, never the RGBA frame
    expect(vulkan.allTexturesReleased).toBe(true); // pool slots and the packed I420 texture
    expect(await probeVideo(vulkan.output)).toMatchObject({ codec: 'h264', width: W, height: H, pixelFormat: 'yuv420p', frames: FRAMES });

    const host = await encodeOn('host');
    expect(host.dispatches).toBe(0);
    const [a, b] = [await firstFrame(vulkan.output), await firstFrame(host.output)];
    expect(a.length).toBe(W * H * 4);
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff += Math.abs(a[i]! - b[i]!);
    // The same yuv420p bytes reach x264 on both backends; allow a little for encoder nondeterminism.
    expect(diff / a.length).toBeLessThan(1);
  });
});
