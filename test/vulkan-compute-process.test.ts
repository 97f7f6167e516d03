import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SharedTexture, VulkanTextureShareManager } from '../src/index.js';
import { grayscaleReference, maxDifference, randomBytes } from './gpu-reference.js';
import { childCount, openFdCount, openVulkan, startChannelChild } from './vulkan-utils.js';

const WIDTH = 64;
const HEIGHT = 48;
const USAGE = ['storage-binding', 'copy-src', 'copy-dst'] as const;

let manager: VulkanTextureShareManager;
let source: SharedTexture;
let target: SharedTexture;
let pixels: Uint8Array;
let fdsBefore: number;
let childrenBefore: number;
let answer: { leftover: number };
let exitCode: number | null;

beforeAll(async () => {
  manager = await openVulkan();
  fdsBefore = openFdCount();
  childrenBefore = childCount();
  pixels = randomBytes(WIDTH * HEIGHT * 4, 4242);
  source = manager.createShareableTexture({ width: WIDTH, height: HEIGHT, format: 'rgba8unorm', usage: [...USAGE], label: 'source' });
  target = manager.createShareableTexture({ width: WIDTH, height: HEIGHT, format: 'rgba8unorm', usage: [...USAGE], label: 'target' });
  manager.writeTexture(source, pixels);
  manager.writeTexture(target, new Uint8Array(WIDTH * HEIGHT * 4)); // zeros: the child's writes must show
  const handles = [manager.exportTexture(source), manager.exportTexture(target)];
  const child = startChannelChild('vulkan-compute-child.mjs');
  await child.channel.send({}, handles);
  handles.forEach((handle) => manager.releaseTextureHandle(handle));
  answer = (await child.channel.receive()).message as { leftover: number };
  child.channel.close();
  const run = await child.done;
  expect(run.stderr).toBe('');
  exitCode = run.code;
});

afterAll(() => manager?.dispose());

it('a compute dispatch in another process writes a shared texture that this process reads back exactly', () => {
  expect(exitCode).toBe(0);
  expect(answer.leftover).toBe(0);
  expect(maxDifference(manager.readTexture(target), grayscaleReference(pixels))).toBe(0);
  // The source is untouched by the child's dispatch.
  expect(maxDifference(manager.readTexture(source), pixels)).toBe(0);
});

it('leaves no fd, device allocation or child process behind', () => {
  source.release();
  target.release();
  expect(manager.liveAllocationCount).toBe(0);
  expect(openFdCount()).toBe(fdsBefore);
  expect(childCount()).toBe(childrenBefore);
});
