// colorConvert() in a Vulkan pipeline (lavapipe here) writes YUV straight into its output frames:
// one compute dispatch per frame, no upload or readback of the node's own (the only texels that
// cross to the host are the ones the test's sink reads), no scratch textures, and output frames
// equal to the host backend's for both layouts, at a size whose I420 V plane starts mid-row.
import { describe, expect, it, vi } from 'vitest';
import { colorConvert, createPipelineContext, createTextureShareManager, pipeline, testPattern, VulkanTextureShareManager, type SharedTexture } from '../src/index.js';
import { collectSink, type CollectedFrame } from './helpers/collect-sink.js';
import { expectNoLeaksPerTest } from './helpers/resources.js';
import { NO_VULKAN } from './helpers/vulkan-available.js';


// 49x31 4:2:0 blocks: partial 16x16 work groups both ways, and I420's V plane starts half-way along a row.
const W = 98;
const H = 62;
const FRAMES = 3;

interface Run {
  frames: CollectedFrame[];
  /** The texture each compute dispatch wrote (its last binding). */
  dispatchTargets: SharedTexture[];
  writes: SharedTexture[];
  reads: SharedTexture[];
  created: SharedTexture[];
}

/** testPattern -> colorConvert -> collect on `backend`, watching the Vulkan manager's calls. */
async function run(backend: 'host' | 'vulkan', to: 'nv12' | 'i420'): Promise<Run> {
  const proto = VulkanTextureShareManager.prototype;
  const spies = {
    dispatch: vi.spyOn(proto, 'dispatchComputeAsync'),
    write: vi.spyOn(proto, 'writeTexture'),
    read: vi.spyOn(proto, 'readTexture'),
    create: vi.spyOn(proto, 'createShareableTexture'),
  };
  const manager = await createTextureShareManager({ backend });
  try {
    const context = await createPipelineContext({ manager });
    const sink = collectSink();
    try {
      await pipeline(testPattern({ width: W, height: H, frames: FRAMES }), colorConvert({ to, matrix: 'bt601' }), sink, { context }).done;
    } finally {
      context.dispose();
    }
    const created = spies.create.mock.results.map((result) => result.value as SharedTexture);
    expect(created.every((texture) => texture.released)).toBe(true);
    return {
      frames: sink.frames,
      dispatchTargets: spies.dispatch.mock.calls.map(([dispatch]) => dispatch.textures.at(-1)!),
      writes: spies.write.mock.calls.map(([texture]) => texture),
      reads: spies.read.mock.calls.map(([texture]) => texture),
      created,
    };
  } finally {
    manager.dispose();
    Object.values(spies).forEach((spy) => spy.mockRestore());
  }
}

expectNoLeaksPerTest();

// Skipped only where no Vulkan device opens at all (no loader or ICD): there is no GPU path to test.
describe.skipIf(NO_VULKAN)('colorConvert on Vulkan', () => {
  it.each(['nv12', 'i420'] as const)('%s: dispatches straight into the output frames, with no host round trip, and equals the host backend', async (to) => {
    const vulkan = await run('vulkan', to);
    const yuvTextures = vulkan.created.filter((texture) => texture.format === 'r8unorm');
    // Only pool slots: rgba8unorm for the source, r8unorm W x H*3/2 storage images for the output.
    expect(vulkan.created.every((texture) => texture.format === 'rgba8unorm' || texture.format === 'r8unorm')).toBe(true);
    expect(yuvTextures.length).toBeGreaterThan(0);
    for (const texture of yuvTextures) {
      expect([texture.width, texture.height]).toEqual([W, (H * 3) / 2]);
      expect(texture.usage).toContain('storage-binding');
    }
    // Per frame: testPattern's draw into its RGBA slot, then one conversion into an output pool texture.
    expect(vulkan.dispatchTargets).toHaveLength(2 * FRAMES);
    const conversions = vulkan.dispatchTargets.filter((texture) => texture.format === 'r8unorm');
    expect(conversions).toHaveLength(FRAMES);
    expect(conversions.every((texture) => yuvTextures.includes(texture))).toBe(true);
    expect(vulkan.dispatchTargets.filter((texture) => texture.format === 'rgba8unorm')).toHaveLength(FRAMES);
    // Uploads: none (the source draws on the GPU). Readbacks: the sink's one per frame only.
    expect(vulkan.writes).toHaveLength(0);
    expect(vulkan.reads).toHaveLength(FRAMES);
    expect(vulkan.reads.every((texture) => yuvTextures.includes(texture))).toBe(true);

    const host = await run('host', to);
    expect(host.frames).toHaveLength(FRAMES);
    for (const [i, frame] of vulkan.frames.entries()) {
      expect(frame.metadata).toMatchObject({ pixelFormat: to, pictureWidth: W, pictureHeight: H, colorMatrix: 'bt601' });
      expect(Buffer.from(frame.pixels).equals(Buffer.from(host.frames[i]!.pixels))).toBe(true);
    }
  });
});
