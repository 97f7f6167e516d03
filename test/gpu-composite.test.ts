// gpuCompositeTiles and gpuOverlay (shaders/composite_tile.comp, composite_overlay.comp) against the
// CPU kernels compositeTiles and overlayRgba on random pixels (alpha included), on lavapipe here.
// Tolerance: tiles within 1 level per channel (the sampling is scale.comp's: float32 positions on
// the GPU, float64 on the CPU), and exact where every cell is its input's own size (a copy); overlay
// and the background are exact (the same integer math).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  compositeTiles, createTextureShareManager, GeyserError, gpuCompositeTiles, gpuCompositeTilesAsync, gpuOverlay, gpuOverlayAsync, overlayRgba,
  type OverlayOptions, type Rgba, type SharedTexture, type TextureUsage, type VulkanTextureShareManager,
} from '../src/index.js';
import { createRgbaImage, type RgbaImage } from '../src/nodes/kernels/rgba-image.js';
import { maxDifference, randomBytes } from './gpu-reference.js';
import { openFdCount } from './helpers/resources.js';
import { NO_VULKAN } from './helpers/vulkan-available.js';
import { openVulkan } from './vulkan-utils.js';

const USAGE: TextureUsage[] = ['storage-binding', 'copy-src', 'copy-dst'];

let manager: VulkanTextureShareManager;
const made: SharedTexture[] = [];

/** A texture and the same pixels on the host: random bytes (alpha included) seeded by `seed`. */
function randomInput(width: number, height: number, seed: number): { texture: SharedTexture; image: RgbaImage } {
  const image = createRgbaImage(width, height);
  image.data.set(randomBytes(width * height * 4, seed));
  const texture = rgba(width, height);
  manager.writeTexture(texture, image.data);
  return { texture, image };
}

function rgba(width: number, height: number, usage: TextureUsage[] = USAGE): SharedTexture {
  const texture = manager.createShareableTexture({ width, height, format: 'rgba8unorm', usage });
  made.push(texture);
  return texture;
}

/** Sizes of up to five inputs: smaller, larger, odd and equal to nothing in particular. */
const SIZES: Array<[number, number]> = [[37, 23], [97, 61], [16, 16], [5, 3], [130, 41]];

let fdsBefore: number;
beforeAll(async () => {
  if (!NO_VULKAN) manager = await openVulkan();
});
afterAll(() => {
  manager?.dispose();
});
beforeEach(() => {
  fdsBefore = openFdCount();
});
afterEach(() => {
  // Each texture holds fds (its exported memory): released, the count is back to where it was.
  for (const texture of made.splice(0)) texture.release();
  expect(openFdCount()).toBe(fdsBefore);
});

// Skipped only where no Vulkan device opens at all (no loader or ICD): there is no GPU to test.
describe.skipIf(NO_VULKAN)('gpuCompositeTiles', () => {
  const cases: Array<{ inputs: number; width: number; height: number; columns?: number; background?: Rgba }> = [
    { inputs: 1, width: 50, height: 37 },
    { inputs: 2, width: 97, height: 61 },
    { inputs: 3, width: 100, height: 75, background: [10, 200, 30, 128] },
    { inputs: 4, width: 33, height: 17 },
    { inputs: 5, width: 131, height: 67, columns: 2, background: [1, 2, 3, 4] },
    { inputs: 5, width: 83, height: 29, columns: 5 },
    { inputs: 3, width: 7, height: 40, columns: 1 },
  ];
  for (const { inputs: count, width, height, columns, background } of cases) {
    it(`${count} inputs into ${width}x${height}${columns === undefined ? '' : `, ${columns} columns`}${background === undefined ? '' : ', background'}: within 1 of compositeTiles, background exact`, () => {
      const inputs = SIZES.slice(0, count).map(([w, h], i) => randomInput(w, h, 100 + i));
      const target = rgba(width, height);
      gpuCompositeTiles(manager, inputs.map((input) => input.texture), target, { columns, background });
      const want = compositeTiles(inputs.map((input) => input.image), createRgbaImage(width, height), { columns, background });
      const got = manager.readTexture(target);
      expect(maxDifference(got, want.data)).toBeLessThanOrEqual(1);
      // Off by one only where a float32 position rounds a weight the other way: rare.
      expect(got.filter((byte, i) => byte !== want.data[i]).length).toBeLessThan(got.length / 100);
      // The background and the cells' edges are where an off-by-one cell would show: count exact pixels.
      const bg = background ?? [0, 0, 0, 255];
      let backgroundPixels = 0;
      for (let p = 0; p < width * height * 4; p += 4) {
        if ([0, 1, 2, 3].every((c) => want.data[p + c] === bg[c])) {
          backgroundPixels++;
        }
      }
      const gotBackground = Array.from({ length: width * height }, (_, i) => i * 4).filter((p) => [0, 1, 2, 3].every((c) => got[p + c] === bg[c])).length;
      expect(gotBackground).toBe(backgroundPixels);
    });
  }

  it('is exact where each cell is its input’s size (a copy), and in a second target of another size', () => {
    const inputs = [0, 1, 2, 3].map((i) => randomInput(24, 18, 200 + i));
    const target = rgba(49, 37); // 2x2 cells of 24x18, a 1-pixel background column and row
    gpuCompositeTiles(manager, inputs.map((input) => input.texture), target, { background: [9, 8, 7, 6] });
    const want = compositeTiles(inputs.map((input) => input.image), createRgbaImage(49, 37), { background: [9, 8, 7, 6] });
    expect(maxDifference(manager.readTexture(target), want.data)).toBe(0);
  });

  it('the async form gives the same pixels', async () => {
    const inputs = SIZES.slice(0, 3).map(([w, h], i) => randomInput(w, h, 300 + i));
    const [sync, queued] = [rgba(61, 45), rgba(61, 45)];
    gpuCompositeTiles(manager, inputs.map((input) => input.texture), sync, { columns: 3 });
    await gpuCompositeTilesAsync(manager, inputs.map((input) => input.texture), queued, { columns: 3 });
    expect(maxDifference(manager.readTexture(queued), manager.readTexture(sync))).toBe(0);
  });
});

describe.skipIf(NO_VULKAN)('gpuOverlay', () => {
  /** The CPU composite: a copy of input 0 with each layer laid over it in order. */
  function cpuOverlay(images: RgbaImage[], layers: OverlayOptions[]): Uint8Array {
    const out = { width: images[0]!.width, height: images[0]!.height, data: Uint8Array.from(images[0]!.data) };
    images.slice(1).forEach((image, i) => overlayRgba(out, image, layers[i] ?? {}));
    return out.data;
  }

  const cases: Array<{ name: string; sizes: Array<[number, number]>; layers: OverlayOptions[] }> = [
    { name: 'input 0 alone (a copy)', sizes: [[97, 61]], layers: [] },
    { name: 'opacity 1 at the origin (default placement)', sizes: [[97, 61], [20, 10]], layers: [] },
    { name: 'opacity 0.5, partly off the right and bottom', sizes: [[97, 61], [40, 30]], layers: [{ x: 70, y: 45, opacity: 0.5 }] },
    { name: 'opacity 0 changes nothing', sizes: [[50, 40], [30, 30]], layers: [{ x: 5, y: 5, opacity: 0 }] },
    { name: 'negative x and y', sizes: [[50, 40], [33, 21]], layers: [{ x: -7, y: -11, opacity: 1 }] },
    { name: 'larger than the base on every side', sizes: [[40, 30], [97, 61]], layers: [{ x: -20, y: -13, opacity: 0.7 }] },
    { name: 'wholly off-frame layers, then one on', sizes: [[50, 40], [10, 10], [10, 10], [17, 9]], layers: [{ x: 50, y: 0 }, { x: -10, y: -10, opacity: 1 }, { x: 3, y: 31, opacity: 0.3 }] },
    { name: 'four layers stacked, each blending over the ones before', sizes: [[64, 48], [64, 48], [30, 20], [45, 33], [7, 60]], layers: [{ opacity: 0.5 }, { x: 10, y: 10 }, { x: 19, y: 15, opacity: 0.25 }, { x: 40, y: -5, opacity: 0.9 }] },
  ];
  for (const { name, sizes, layers } of cases) {
    it(`${name}: equals overlayRgba byte for byte`, () => {
      const inputs = sizes.map(([w, h], i) => randomInput(w, h, 400 + i));
      const target = rgba(sizes[0]![0], sizes[0]![1]);
      gpuOverlay(manager, inputs.map((input) => input.texture), target, layers);
      const want = cpuOverlay(inputs.map((input) => input.image), layers);
      expect(maxDifference(manager.readTexture(target), want)).toBe(0);
    });
  }

  it('the async form gives the same pixels', async () => {
    const inputs = [randomInput(45, 33, 500), randomInput(20, 20, 501), randomInput(9, 9, 502)];
    const layers = [{ x: 30, y: 20, opacity: 0.6 }, { x: -3, y: 2 }];
    const target = rgba(45, 33);
    await gpuOverlayAsync(manager, inputs.map((input) => input.texture), target, layers);
    expect(maxDifference(manager.readTexture(target), cpuOverlay(inputs.map((input) => input.image), layers))).toBe(0);
  });
});

describe.skipIf(NO_VULKAN)('bad arguments get a GeyserError naming the argument', () => {
  const message = (code: string, text: string) => new GeyserError(code as never, text);

  it('gpuCompositeTiles', async () => {
    const a = randomInput(8, 8, 1).texture;
    const b = randomInput(8, 8, 2).texture;
    const target = rgba(8, 8);
    const copyOnly = rgba(8, 8, ['copy-src', 'copy-dst']);
    const bgra = manager.createShareableTexture({ width: 8, height: 8, format: 'bgra8unorm', usage: USAGE });
    made.push(bgra);
    const released = rgba(8, 8);
    released.release();
    const host = await createTextureShareManager({ backend: 'host' });
    try {
      const cases: Array<[() => void, GeyserError]> = [
        [() => gpuCompositeTiles(manager, [], target), message('InvalidDescriptor', 'Expected a non-empty array of textures for inputs but received an array of length 0')],
        [() => gpuCompositeTiles(manager, [a, b], target, { columns: 3 }), message('InvalidDescriptor', 'Expected integer between 1 and 2 for columns but received 3 of type number')],
        [() => gpuCompositeTiles(manager, [a, b, a, b, a], rgba(8, 4), { columns: 1 }), message('InvalidDescriptor', 'Expected at most 4 rows of tiles for a target 4 pixels high but 5 inputs in 1 columns need 5')],
        [() => gpuCompositeTiles(manager, [a], target, { background: [0, 0, 256, 0] }), message('InvalidDescriptor', 'Expected [r, g, b, a] with integers 0 to 255 for background but received an array of length 4')],
        [() => gpuCompositeTiles(manager, [a, target], target), message('InvalidDescriptor', 'Expected a texture that is not one of the inputs for target but received inputs[1] itself')],
        [() => gpuCompositeTiles(manager, [a, copyOnly], target), message('OperationNotSupported', 'inputs[1] (texture 8x8 rgba8unorm) was created without storage-binding usage')],
        [() => gpuCompositeTiles(manager, [a], copyOnly), message('OperationNotSupported', 'target (texture 8x8 rgba8unorm) was created without storage-binding usage')],
        [() => gpuCompositeTiles(manager, [a, bgra], target), message('InvalidDescriptor', 'Expected a rgba8unorm texture for inputs[1] but received texture 8x8 bgra8unorm')],
        [() => gpuCompositeTiles(manager, [released], target), message('Released', 'inputs[0] (texture 8x8 rgba8unorm) has been released')],
        [() => gpuCompositeTiles(manager, [a, 'cam1' as never], target), message('InvalidTextureHandle', "Expected a texture of the Vulkan backend for inputs[1] but received 'cam1' of type string")],
        [() => gpuCompositeTiles(host, [a], target), message('OperationNotSupported', 'Expected a VulkanTextureShareManager (GPU filters run on Vulkan) for manager but received an object')],
      ];
      for (const [call, error] of cases) {
        expect(call).toThrow(error);
        expect(call).toThrow(GeyserError);
      }
      // The async form rejects with the same error instead of throwing.
      await expect(gpuCompositeTilesAsync(manager, [a, b], target, { columns: 3 })).rejects.toThrow('Expected integer between 1 and 2 for columns but received 3 of type number');
    } finally {
      host.dispose();
    }
  });

  it('gpuOverlay', async () => {
    const base = randomInput(8, 8, 3).texture;
    const logo = randomInput(4, 4, 4).texture;
    const cases: Array<[() => void, GeyserError]> = [
      [() => gpuOverlay(manager, [base, logo], rgba(8, 9)), message('InvalidDescriptor', 'Expected a 8x8 texture for target but received 8x9')],
      [() => gpuOverlay(manager, [base, logo], rgba(8, 8), [{}, {}]), message('InvalidDescriptor', 'Expected an array of at most 1 { x, y, opacity } (one per input after the first) for layers but received an array of length 2')],
      [() => gpuOverlay(manager, [base, logo], rgba(8, 8), [{ opacity: 2 }]), message('InvalidDescriptor', 'Expected number between 0 and 1 for layers[0].opacity but received 2 of type number')],
      [() => gpuOverlay(manager, [base, logo, logo], rgba(8, 8), [{}, { x: 1.5 }]), message('InvalidDescriptor', 'Expected integer for layers[1].x but received 1.5 of type number')],
      [() => gpuOverlay(manager, [base, logo], rgba(8, 8), [5 as never]), message('InvalidDescriptor', 'Expected an object { x, y, opacity } for layers[0] but received 5 of type number')],
    ];
    for (const [call, error] of cases) expect(call).toThrow(error);
    await expect(gpuOverlayAsync(manager, [base, logo], base)).rejects.toThrow('Expected a texture that is not one of the inputs for target but received inputs[0] itself');
  });
});
