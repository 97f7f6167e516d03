// VulkanTextureShareManager.readTextureInto: the texels land in the caller's buffer (a view into a
// larger one included) with the bytes readTexture returns, and bad targets get exact messages.
// Across two real processes: a child converts the parent's RGBA texture into the parent's packed
// YUV texture on the GPU, and the parent reads it straight into its own buffer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createYuv420PackedTexture, type SharedTexture, type VulkanTextureHandle, type VulkanTextureShareManager } from '../src/index.js';
import { rgbaToYuv420, yuv420ByteLength } from '../src/nodes/kernels/yuv420.js';
import { randomBytes } from './gpu-reference.js';
import { childCount, openFdCount, openVulkan, startChannelChild } from './vulkan-utils.js';
import { NO_VULKAN } from './helpers/vulkan-available.js';


// Skipped only where no Vulkan device opens at all (no loader or ICD): there is no texture to read.
describe.skipIf(NO_VULKAN)('readTextureInto', () => {
  let manager: VulkanTextureShareManager;
  let fdsBefore: number;
  let childrenBefore: number;
  const made: SharedTexture[] = [];

  function rgba(width: number, height: number, usage: Array<'copy-src' | 'copy-dst' | 'storage-binding'>, label: string): SharedTexture {
    const texture = manager.createShareableTexture({ width, height, format: 'rgba8unorm', usage, label });
    made.push(texture);
    return texture;
  }

  beforeAll(async () => {
    manager = await openVulkan();
    // Counted after the device opened: drivers may keep their own fds for the process lifetime.
    fdsBefore = openFdCount();
    childrenBefore = childCount();
  });
  afterAll(() => {
    for (const texture of made) texture.release();
    expect(manager.liveAllocationCount).toBe(0);
    expect(openFdCount()).toBe(fdsBefore);
    expect(childCount()).toBe(childrenBefore);
    manager.dispose();
  });

  it('fills a view into a larger buffer with the bytes readTexture returns, touching nothing around it', () => {
    const texture = rgba(37, 11, ['copy-src', 'copy-dst'], 'noise');
    const bytes = randomBytes(37 * 11 * 4, 3);
    manager.writeTexture(texture, bytes);
    const backing = new Uint8Array(16 + bytes.length + 16).fill(0xee);
    const view = backing.subarray(16, 16 + bytes.length);
    expect(manager.readTextureInto(texture, view)).toBe(view);
    expect(view).toEqual(manager.readTexture(texture));
    expect(view).toEqual(bytes);
    expect([...backing.subarray(0, 16), ...backing.subarray(16 + bytes.length)].every((b) => b === 0xee)).toBe(true);
  });

  it('reads into a Buffer as well (a Uint8Array subclass, as pools hand out)', () => {
    const texture = rgba(8, 4, ['copy-src', 'copy-dst'], 'small');
    const bytes = randomBytes(8 * 4 * 4, 5);
    manager.writeTexture(texture, bytes);
    const target = Buffer.alloc(bytes.length);
    manager.readTextureInto(texture, target);
    expect(new Uint8Array(target)).toEqual(bytes);
  });

  it('rejects a wrong length, a non-Uint8Array, a texture without copy-src usage and a released texture', () => {
    const texture = rgba(8, 4, ['copy-src', 'copy-dst'], 'cam0');
    expect(() => manager.readTextureInto(texture, new Uint8Array(127))).toThrow('Expected 128 bytes (4 rows of 32) for target but received 127');
    expect(() => manager.readTextureInto(texture, new Uint16Array(64) as unknown as Uint8Array)).toThrow('Expected a Uint8Array for target but received an object');
    expect(() => manager.readTextureInto(texture, undefined as unknown as Uint8Array)).toThrow('Expected a Uint8Array for target but received undefined');
    const writeOnly = rgba(8, 4, ['copy-dst'], 'upload only');
    expect(() => manager.readTextureInto(writeOnly, new Uint8Array(128))).toThrow(/^readTextureInto: .*'upload only'.* was created without copy-src usage$/);
    const gone = manager.createShareableTexture({ width: 8, height: 4, format: 'rgba8unorm', usage: ['copy-src'], label: 'gone' });
    gone.release();
    expect(() => manager.readTextureInto(gone, new Uint8Array(128))).toThrow("texture 'gone' has been released");
  });

  it.each([
    ['i420', 'bt709'],
    ['nv12', 'bt601'],
  ] as const)('a child process converts our texture to packed %s %s on its GPU queue; we read it straight into our buffer', async (layout, matrix) => {
    const [width, height] = [66, 38];
    const source = rgba(width, height, ['copy-src', 'copy-dst', 'storage-binding'], 'rgba for child');
    const data = randomBytes(width * height * 4, 17);
    manager.writeTexture(source, data);
    const packed = createYuv420PackedTexture(manager, width, height, 'packed for child');
    made.push(packed);
    const handles: VulkanTextureHandle[] = [manager.exportTexture(source), manager.exportTexture(packed)];
    const child = startChannelChild('yuv-packed-child.mjs');
    await child.channel.send({ layout, matrix }, handles);
    handles.forEach((handle) => manager.releaseTextureHandle(handle)); // the child received its own fds
    const answer = await child.channel.receive();
    child.channel.close();
    const run = await child.done;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(answer.message).toEqual({ leftover: 0 });
    const target = new Uint8Array(yuv420ByteLength(width, height));
    manager.readTextureInto(packed, target);
    expect(target).toEqual(rgbaToYuv420({ data, width, height }, new Uint8Array(target.length), layout, matrix));
  });
});
