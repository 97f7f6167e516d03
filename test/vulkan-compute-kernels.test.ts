// The GPU filters against the library's own CPU kernels (src/nodes/kernels), at an odd size that
// exercises every edge rule: the shaders promise the kernels' exact integer math.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createYuv420Planes, gpuBoxBlur, gpuGrayscale, gpuRgbaToYuv420, gpuScale, readYuv420, type SharedTexture, type VulkanTextureShareManager } from '../src/index.js';
import { boxBlur } from '../src/nodes/kernels/box-blur.js';
import { grayscaleRgba } from '../src/nodes/kernels/grayscale.js';
import { createRgbaImage, type RgbaImage } from '../src/nodes/kernels/rgba-image.js';
import { scaleBilinear } from '../src/nodes/kernels/scale.js';
import { rgbaToYuv420, yuv420ByteLength } from '../src/nodes/kernels/yuv420.js';
import { maxDifference, randomBytes } from './gpu-reference.js';
import { openVulkan } from './vulkan-utils.js';

const W = 97;
const H = 61;
const USAGE = ['storage-binding', 'copy-src', 'copy-dst'] as const;

let manager: VulkanTextureShareManager;
let source: SharedTexture;
let image: RgbaImage;
const made: SharedTexture[] = [];

function rgba(width: number, height: number): SharedTexture {
  const texture = manager.createShareableTexture({ width, height, format: 'rgba8unorm', usage: [...USAGE] });
  made.push(texture);
  return texture;
}

beforeAll(async () => {
  manager = await openVulkan();
  image = createRgbaImage(W, H);
  image.data.set(randomBytes(W * H * 4, 97));
  source = rgba(W, H);
  manager.writeTexture(source, image.data);
});
afterAll(() => {
  for (const texture of made) texture.release();
  manager?.dispose();
});

it('gpuGrayscale equals grayscaleRgba byte for byte', () => {
  const target = rgba(W, H);
  gpuGrayscale(manager, source, target);
  expect(maxDifference(manager.readTexture(target), grayscaleRgba(image, createRgbaImage(W, H)).data)).toBe(0);
});

it.each([1, 4, 9])('gpuBoxBlur radius %i equals boxBlur byte for byte', (radius) => {
  const target = rgba(W, H);
  gpuBoxBlur(manager, source, target, radius);
  expect(maxDifference(manager.readTexture(target), boxBlur(image, createRgbaImage(W, H), radius).data)).toBe(0);
});

it.each([
  [50, 30],
  [200, 130],
])('gpuScale to %ix%i is within 1 of scaleBilinear', (w, h) => {
  const target = rgba(w, h);
  gpuScale(manager, source, target);
  expect(maxDifference(manager.readTexture(target), scaleBilinear(image, createRgbaImage(w, h)).data)).toBeLessThanOrEqual(1);
});

it.each([
  ['nv12', 'bt709'],
  ['i420', 'bt601'],
] as const)('gpuRgbaToYuv420 %s %s equals rgbaToYuv420 byte for byte', (layout, matrix) => {
  const planes = layout === 'nv12' ? createYuv420Planes(manager, W, H, 'nv12') : createYuv420Planes(manager, W, H, 'i420');
  made.push(...Object.values(planes));
  gpuRgbaToYuv420(manager, source, planes, matrix);
  const want = rgbaToYuv420(image, new Uint8Array(yuv420ByteLength(W, H)), layout, matrix);
  expect(maxDifference(readYuv420(manager, planes), want)).toBe(0);
});
