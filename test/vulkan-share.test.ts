import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TextureFormat, VulkanTexture, VulkanTextureHandle, VulkanTextureShareManager } from '../src/index.js';
import { firstMismatch, pattern, SHARED_FORMATS } from './fixtures/vulkan-pattern.mjs';
import { childCount, openFdCount, openVulkan, startChannelChild } from './vulkan-utils.js';

interface ChildResult {
  results: { format: TextureFormat; width: number; mismatch: number; bytes: number }[];
  leftover: number;
}

// One entry per shared texture: every CPU-copyable format at 256x256, plus a 1920x1080 frame.
const CASES: { format: TextureFormat; width: number; height: number }[] = [
  ...SHARED_FORMATS.map((format) => ({ format, width: 256, height: 256 })),
  { format: 'rgba8unorm', width: 1920, height: 1080 },
];
const PARENT_SEED = 1;
const CHILD_SEED = 2;

describe('Vulkan textures shared between two OS processes through a ShareChannel', () => {
  let manager: VulkanTextureShareManager;
  let textures: VulkanTexture[];
  let result: ChildResult;
  let exitCode: number | null;
  let fdsBefore: number;
  let childrenBefore: number;

  beforeAll(async () => {
    manager = await openVulkan();
    // Counted after the device opened: drivers may keep their own fds (e.g. /dev/nvidiactl) for
    // the process lifetime; what must not leak is ours.
    fdsBefore = openFdCount();
    childrenBefore = childCount();
    textures = CASES.map(({ format, width, height }) =>
      manager.createShareableTexture({ width, height, format, usage: ['copy-src', 'copy-dst'], label: `${format}-${width}` }),
    );
    textures.forEach((texture) => manager.writeTexture(texture, pattern(texture.format, texture.width, texture.height, PARENT_SEED)));
    const handles: VulkanTextureHandle[] = textures.map((texture) => manager.exportTexture(texture));
    // The handles cross on a ShareChannel (SCM_RIGHTS): the child receives its own fds.
    const child = startChannelChild('vulkan-share-child.mjs');
    await child.channel.send({ entries: handles.map(() => ({ parentSeed: PARENT_SEED, childSeed: CHILD_SEED })) }, handles);
    handles.forEach((handle) => manager.releaseTextureHandle(handle)); // the kernel holds copies in flight
    const answer = await child.channel.receive();
    child.channel.close();
    const run = await child.done;
    exitCode = run.code;
    expect(run.stderr).toBe('');
    result = answer.message as ChildResult;
  });

  afterAll(() => {
    manager?.dispose();
  });

  it('the child exits cleanly with every device allocation freed', () => {
    expect(exitCode).toBe(0);
    expect(result.leftover).toBe(0);
    expect(result.results).toHaveLength(CASES.length);
  });

  it.each(CASES.map((entry, index) => [`${entry.format} ${entry.width}x${entry.height}`, index] as const))(
    '%s: the importer reads every byte the exporter wrote, and the exporter every byte the importer wrote back',
    (_name, index) => {
      const texture = textures[index]!;
      const entry = result.results[index]!;
      expect(entry.format).toBe(texture.format);
      expect(entry.bytes).toBe(pattern(texture.format, texture.width, texture.height, PARENT_SEED).length);
      expect(entry.mismatch).toBe(-1);
      const back = manager.readTexture(texture);
      expect(firstMismatch(back, pattern(texture.format, texture.width, texture.height, CHILD_SEED))).toBe(-1);
    },
  );

  it('leaves no fd, device allocation or child process behind', () => {
    textures.forEach((texture) => texture.release());
    expect(manager.liveAllocationCount).toBe(0);
    expect(openFdCount()).toBe(fdsBefore);
    manager.dispose();
    expect(childCount()).toBe(childrenBefore);
  });
});
