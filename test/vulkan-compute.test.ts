import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  computeFilter,
  createTextureShareManager,
  createYuv420Planes,
  GeyserError,
  gpuBoxBlur,
  gpuGrayscale,
  gpuLumaHistogram,
  gpuRgbaToYuv420,
  gpuScale,
  readYuv420,
  type SharedTexture,
  type VulkanTextureShareManager,
} from '../src/index.js';
import { builtinSpirv } from '../src/nodes/gpu/shaders.js';
import { blurReference, grayscaleReference, maxDifference, randomBytes, scaleReference, yuv420Reference } from './gpu-reference.js';
import { openFdCount, openVulkan } from './vulkan-utils.js';
import { thrownGeyserError } from './helpers/geyser-errors.js';

const STORAGE = ['storage-binding', 'copy-src', 'copy-dst'] as const;

describe('GPU compute filters on Vulkan (lavapipe here) match the CPU references', () => {
  let manager: VulkanTextureShareManager;
  const made: SharedTexture[] = [];

  /** An rgba8unorm storage texture filled with `pixels` (or left empty). */
  function rgba(width: number, height: number, pixels?: Uint8Array, label?: string): SharedTexture {
    const texture = manager.createShareableTexture({ width, height, format: 'rgba8unorm', usage: [...STORAGE], ...(label ? { label } : {}) });
    made.push(texture);
    if (pixels) manager.writeTexture(texture, pixels);
    return texture;
  }

  beforeAll(async () => {
    manager = await openVulkan();
  });
  afterAll(() => {
    for (const texture of made) texture.release();
    manager?.dispose();
  });

  it('grayscale is bit-exact with the BT.709 integer formula', () => {
    const pixels = randomBytes(64 * 48 * 4, 1);
    const source = rgba(64, 48, pixels);
    const target = rgba(64, 48);
    gpuGrayscale(manager, source, target);
    expect(Buffer.from(manager.readTexture(target)).equals(Buffer.from(grayscaleReference(pixels)))).toBe(true);
  });

  it('grayscale covers sizes that are not multiples of the 16x16 work group', () => {
    const pixels = randomBytes(37 * 21 * 4, 2);
    const source = rgba(37, 21, pixels);
    const target = rgba(37, 21);
    gpuGrayscale(manager, source, target);
    expect(maxDifference(manager.readTexture(target), grayscaleReference(pixels))).toBe(0);
  });

  it.each([
    [64, 48, 37, 29],
    [64, 48, 100, 70],
    [33, 17, 33, 17],
  ])('scale %ix%i -> %ix%i is within 1 of the fixed-point bilinear reference (float32 positions on the GPU)', (sw, sh, dw, dh) => {
    const pixels = randomBytes(sw * sh * 4, sw + dw);
    const source = rgba(sw, sh, pixels);
    const target = rgba(dw, dh);
    gpuScale(manager, source, target);
    const got = manager.readTexture(target);
    const want = scaleReference(pixels, sw, sh, dw, dh);
    expect(maxDifference(got, want)).toBeLessThanOrEqual(1);
    // Most channels must be exact: a float32 position only rarely rounds a weight differently.
    let exact = 0;
    for (let i = 0; i < got.length; i++) if (got[i] === want[i]) exact++;
    expect(exact / got.length).toBeGreaterThan(0.99);
  });

  it.each([0, 1, 3])('box blur with radius %i is bit-exact with the brute-force mean', (radius) => {
    const pixels = randomBytes(64 * 48 * 4, 10 + radius);
    const source = rgba(64, 48, pixels);
    const target = rgba(64, 48);
    gpuBoxBlur(manager, source, target, radius);
    expect(maxDifference(manager.readTexture(target), blurReference(pixels, 64, 48, radius))).toBe(0);
  });

  it('box blur reuses a caller-provided scratch texture and matches on an odd size', () => {
    const pixels = randomBytes(31 * 19 * 4, 77);
    const source = rgba(31, 19, pixels);
    const target = rgba(31, 19);
    const scratch = manager.createShareableTexture({ width: 31, height: 19, format: 'rgba32float', usage: ['storage-binding'] });
    made.push(scratch);
    const allocations = manager.liveAllocationCount;
    gpuBoxBlur(manager, source, target, 2, scratch);
    expect(manager.liveAllocationCount).toBe(allocations);
    expect(maxDifference(manager.readTexture(target), blurReference(pixels, 31, 19, 2))).toBe(0);
  });

  it.each([
    ['nv12', 'bt709', 64, 48],
    ['i420', 'bt709', 64, 48],
    ['nv12', 'bt601', 33, 17],
    ['i420', 'bt601', 33, 17],
  ] as const)('RGBA -> %s (%s) at %ix%i is bit-exact with the CPU integer math', (layout, matrix, w, h) => {
    const pixels = randomBytes(w * h * 4, w * 3 + h);
    // Include pure grays and extremes: they must land on exactly 128 chroma and 16/235 luma.
    pixels.set([0, 0, 0, 255, 255, 255, 255, 255, 128, 128, 128, 255], 0);
    const source = rgba(w, h, pixels);
    const planes = layout === 'nv12' ? createYuv420Planes(manager, w, h, 'nv12') : createYuv420Planes(manager, w, h, 'i420');
    made.push(...Object.values(planes));
    gpuRgbaToYuv420(manager, source, planes, matrix);
    const got = readYuv420(manager, planes);
    const want = yuv420Reference(pixels, w, h, layout, matrix);
    expect(got.length).toBe(w * h + 2 * Math.ceil(w / 2) * Math.ceil(h / 2));
    expect(maxDifference(got, want)).toBe(0);
    expect([got[0], got[1]]).toEqual([16, 235]);
  });

  it('computeFilter runs a shader with push constants over the grid it is given', () => {
    const pixels = randomBytes(40 * 24 * 4, 5);
    const source = rgba(40, 24, pixels);
    const sums = manager.createShareableTexture({ width: 40, height: 24, format: 'rgba32float', usage: ['storage-binding', 'copy-src'] });
    made.push(sums);
    computeFilter(manager, { spirv: builtinSpirv('blurHorizontal'), textures: [source, sums], pushConstants: new Int32Array([1]) });
    const got = new Float32Array(manager.readTexture(sums).slice().buffer);
    // Row sums of 3 pixels with the edge repeated: check every texel.
    for (let y = 0; y < 24; y++) {
      for (let x = 0; x < 40; x++) {
        for (let c = 0; c < 4; c++) {
          const at = (xx: number) => pixels[(y * 40 + Math.min(Math.max(xx, 0), 39)) * 4 + c]!;
          expect(got[(y * 40 + x) * 4 + c]).toBe(at(x - 1) + at(x) + at(x + 1));
        }
      }
    }
  });

  it('a storage buffer carries results back: the luma histogram counts every pixel exactly', () => {
    const pixels = randomBytes(64 * 48 * 4, 31);
    const source = rgba(64, 48, pixels);
    const want = new Uint32Array(256);
    const gray = grayscaleReference(pixels);
    for (let i = 0; i < gray.length; i += 4) want[gray[i]!]!++;
    expect([...gpuLumaHistogram(manager, source)]).toEqual([...want]);
    // The buffer's initial bytes reach the shader too: counts add onto what the caller passed in.
    const seeded = new Uint32Array(256).fill(1000);
    manager.dispatchCompute({ spirv: builtinSpirv('lumaHistogram'), textures: [source], storageBuffer: seeded, groups: [4, 3, 1] });
    expect([...seeded]).toEqual([...want].map((count) => count + 1000));
  });

  it('builds each pipeline once and reuses it from the cache', () => {
    const source = rgba(16, 16, randomBytes(16 * 16 * 4, 9));
    const target = rgba(16, 16);
    gpuGrayscale(manager, source, target);
    const cached = manager.computePipelineCount;
    for (let i = 0; i < 5; i++) gpuGrayscale(manager, source, target);
    expect(manager.computePipelineCount).toBe(cached);
  });

  it('a dispatch held by submitWait fails with Timeout, keeps what it uses until the queue moves, then the next one works', () => {
    const pixels = randomBytes(32 * 32 * 4, 99);
    const source = rgba(32, 32, pixels);
    const target = rgba(32, 32);
    const gate = manager.createLocalSemaphore();
    try {
      manager.submitWait(gate, 1); // nobody signals yet: the queue stops here
      // Dispatches wait up to 10 s for their fence (the transfer timeout); this one cannot finish.
      const error = thrownGeyserError(() => gpuGrayscale(manager, source, target));
      expect(error.code).toBe('Timeout');
      expect(error.message).toBe('compute dispatch did not complete in 10000 ms (the queue may be waiting on a semaphore value nobody signaled)');
      gate.signal(1); // the held dispatch now runs; its views were kept alive for it
      gpuGrayscale(manager, source, target);
      expect(maxDifference(manager.readTexture(target), grayscaleReference(pixels))).toBe(0);
    } finally {
      gate.release();
    }
  }, 30_000);

  it('orders a dispatch after uploads and before readbacks on the same queue, frame after frame', () => {
    const source = rgba(32, 32);
    const target = rgba(32, 32);
    for (let frame = 0; frame < 20; frame++) {
      const pixels = randomBytes(32 * 32 * 4, 1000 + frame);
      manager.writeTexture(source, pixels);
      gpuGrayscale(manager, source, target);
      expect(maxDifference(manager.readTexture(target), grayscaleReference(pixels))).toBe(0);
    }
  });
});

describe('dispatchCompute refuses bad input with a GeyserError naming the field', () => {
  let manager: VulkanTextureShareManager;
  let source: SharedTexture;
  let target: SharedTexture;
  let plain: SharedTexture;
  const spirv = () => builtinSpirv('grayscale');

  beforeAll(async () => {
    manager = await openVulkan();
    source = manager.createShareableTexture({ width: 16, height: 16, format: 'rgba8unorm', usage: [...STORAGE], label: 'src' });
    target = manager.createShareableTexture({ width: 16, height: 16, format: 'rgba8unorm', usage: [...STORAGE], label: 'dst' });
    plain = manager.createShareableTexture({ width: 16, height: 16, format: 'rgba8unorm', usage: ['copy-src', 'copy-dst'], label: 'plain' });
  });
  afterAll(() => manager?.dispose());

  it('refuses a texture created without storage-binding usage', () => {
    const error = thrownGeyserError(() => manager.dispatchCompute({ spirv: spirv(), textures: [source, plain], groups: [1, 1, 1] }));
    expect(error.code).toBe('OperationNotSupported');
    expect(error.message).toBe("dispatchCompute: textures[1] (texture 'plain') was created without storage-binding usage");
  });

  it('refuses a texture count that does not match the shader bindings', () => {
    const error = thrownGeyserError(() => manager.dispatchCompute({ spirv: spirv(), textures: [source], groups: [1, 1, 1] }));
    expect(error.code).toBe('InvalidDescriptor');
    expect(error.message).toBe(
      'Expected one texture per shader binding (the shader declares bindings 0, 1 in set 0; bindings must be 0 to n-1) for textures but received an array of length 1',
    );
  });

  it('refuses more than 128 bytes of push constants, or a length that is not a multiple of 4', () => {
    const big = thrownGeyserError(() => manager.dispatchCompute({ spirv: spirv(), textures: [source, target], pushConstants: new ArrayBuffer(132), groups: [1, 1, 1] }));
    expect(big.code).toBe('InvalidDescriptor');
    expect(big.message).toBe('Expected at most 128 bytes (a multiple of 4) for pushConstants but received 132 bytes');
    const odd = thrownGeyserError(() => manager.dispatchCompute({ spirv: spirv(), textures: [source, target], pushConstants: new Uint8Array(6), groups: [1, 1, 1] }));
    expect(odd.message).toBe('Expected at most 128 bytes (a multiple of 4) for pushConstants but received 6 bytes');
  });

  it('refuses a storage buffer the shader does not declare, or of a bad size', () => {
    const extra = thrownGeyserError(() => manager.dispatchCompute({ spirv: spirv(), textures: [source, target], storageBuffer: new Uint32Array(4), groups: [1, 1, 1] }));
    expect(extra.message).toBe(
      'Expected one texture per shader binding, plus the storageBuffer after them (the shader declares bindings 0, 1 in set 0; bindings must be 0 to n-1) for textures but received an array of length 2',
    );
    const odd = thrownGeyserError(() =>
      manager.dispatchCompute({ spirv: builtinSpirv('lumaHistogram'), textures: [source], storageBuffer: new Uint8Array(6), groups: [1, 1, 1] }),
    );
    expect(odd.message).toBe('Expected 4 to 67108864 bytes (a multiple of 4) for storageBuffer but received 6 bytes');
    const missing = thrownGeyserError(() => manager.dispatchCompute({ spirv: builtinSpirv('lumaHistogram'), textures: [source], groups: [1, 1, 1] }));
    expect(missing.message).toBe(
      'Expected one texture per shader binding (the shader declares bindings 0, 1 in set 0; bindings must be 0 to n-1) for textures but received an array of length 1',
    );
  });

  it('refuses words that are not SPIR-V before the driver sees them', () => {
    const garbage = thrownGeyserError(() => manager.dispatchCompute({ spirv: new Uint32Array([1, 2, 3, 4, 5, 6]), textures: [source, target], groups: [1, 1, 1] }));
    expect(garbage.code).toBe('InvalidDescriptor');
    expect(garbage.message).toBe(
      'spirv is not a valid SPIR-V module: expected a 5-word header starting with the magic number 0x07230203 but received 6 words, first word 0x00000001',
    );
    // Cut at an instruction boundary (the driver would compile a function with no end) and inside one.
    const lastInstruction = spirv().length - 1;
    const atBoundary = spirv().slice(0, lastInstruction);
    expect(thrownGeyserError(() => manager.dispatchCompute({ spirv: atBoundary, textures: [source, target], groups: [1, 1, 1] })).message).toBe(
      'spirv is not a valid SPIR-V module: it does not end with OpFunctionEnd (truncated?)',
    );
    const overlong = spirv().slice();
    overlong[lastInstruction] = 0xffff0000 | 56; // an OpFunctionEnd claiming 65535 words
    expect(thrownGeyserError(() => manager.dispatchCompute({ spirv: overlong, textures: [source, target], groups: [1, 1, 1] })).message).toBe(
      `spirv is not a valid SPIR-V module: the instruction at word ${lastInstruction} has a bad length (65535)`,
    );
    const notArray = thrownGeyserError(() => manager.dispatchCompute({ spirv: [1, 2] as unknown as Uint32Array, textures: [source, target], groups: [1, 1, 1] }));
    expect(notArray.message).toBe('Expected a Uint32Array of SPIR-V words for spirv but received an array of length 2');
  });

  it('refuses a module without a compute entry point named main', () => {
    const words = spirv().slice();
    // Rename the entry point: find OpEntryPoint (opcode 15) and overwrite its name's first byte.
    for (let at = 5; at < words.length; at += words[at]! >>> 16) {
      if ((words[at]! & 0xffff) === 15) words[at + 3] = (words[at + 3]! & ~0xff) | 0x4e; // 'main' -> 'Nain'
    }
    const error = thrownGeyserError(() => manager.dispatchCompute({ spirv: words, textures: [source, target], groups: [1, 1, 1] }));
    expect(error.message).toBe('spirv is not a valid SPIR-V module: it has no compute (GLCompute) entry point named main');
  });

  it('refuses a module that uses a descriptor set other than 0', () => {
    const words = spirv().slice();
    for (let at = 5; at < words.length; at += words[at]! >>> 16) {
      if ((words[at]! & 0xffff) === 71 && words[at + 2] === 34) words[at + 3] = 2; // OpDecorate DescriptorSet -> 2
    }
    expect(thrownGeyserError(() => manager.dispatchCompute({ spirv: words, textures: [source, target], groups: [1, 1, 1] })).message).toBe(
      'spirv declares a binding in descriptor set 2; dispatches bind only set 0',
    );
  });

  it('refuses bad work-group counts, repeated textures and misspelled keys', () => {
    expect(thrownGeyserError(() => manager.dispatchCompute({ spirv: spirv(), textures: [source, target], groups: [0, 1, 1] })).message).toBe(
      'Expected integer between 1 and 65535 for groups[0] but received 0 of type number',
    );
    expect(thrownGeyserError(() => manager.dispatchCompute({ spirv: spirv(), textures: [source, target], groups: [1, 1] as never })).message).toBe(
      'Expected an array of 3 work-group counts [x, y, z] for groups but received an array of length 2',
    );
    expect(thrownGeyserError(() => manager.dispatchCompute({ spirv: spirv(), textures: [source, source], groups: [1, 1, 1] })).message).toBe(
      'dispatchCompute: textures[1] repeats textures[0]; bind each texture once',
    );
    expect(() => manager.dispatchCompute({ spirv: spirv(), textures: [source, target], groups: [1, 1, 1], group: 1 } as never)).toThrow(
      "Unknown option 'group' for dispatchCompute; expected one of: spirv, textures, pushConstants, groups, storageBuffer, passes",
    );
  });

  it('refuses a released texture and one of another manager', async () => {
    const gone = manager.createShareableTexture({ width: 16, height: 16, format: 'rgba8unorm', usage: [...STORAGE], label: 'gone' });
    gone.release();
    const released = thrownGeyserError(() => manager.dispatchCompute({ spirv: spirv(), textures: [source, gone], groups: [1, 1, 1] }));
    expect(released.code).toBe('Released');
    expect(released.message).toBe("texture 'gone' has been released");
    const other = await openVulkan();
    try {
      const foreign = other.createShareableTexture({ width: 16, height: 16, format: 'rgba8unorm', usage: [...STORAGE], label: 'foreign' });
      const error = thrownGeyserError(() => manager.dispatchCompute({ spirv: spirv(), textures: [source, foreign], groups: [1, 1, 1] }));
      expect(error.code).toBe('InvalidTextureHandle');
      expect(error.message).toBe("texture 'foreign' belongs to another Vulkan manager");
    } finally {
      other.dispose();
    }
  });

  it('computeFilter names a bad grid or local size', () => {
    expect(thrownGeyserError(() => computeFilter(manager, { spirv: spirv(), textures: [source, target], grid: [0, 4] })).message).toBe(
      'Expected integer between 1 and 67107840 for grid[0] but received 0 of type number',
    );
    expect(thrownGeyserError(() => computeFilter(manager, { spirv: spirv(), textures: [source, target], localSize: [16, 2000] })).message).toBe(
      'Expected integer between 1 and 1024 for localSize[1] but received 2000 of type number',
    );
  });

  it('GPU filters name the parameter with the wrong format, size or manager', async () => {
    const gray = manager.createShareableTexture({ width: 8, height: 8, format: 'r32float', usage: ['storage-binding'], label: 'r32' });
    try {
      expect(thrownGeyserError(() => gpuGrayscale(manager, source, gray)).message).toBe("Expected a rgba8unorm texture for target but received texture 'r32'");
      const small = manager.createShareableTexture({ width: 8, height: 8, format: 'rgba8unorm', usage: [...STORAGE] });
      expect(thrownGeyserError(() => gpuBoxBlur(manager, source, small, 1)).message).toBe('Expected a 16x16 texture for target but received 8x8');
      small.release();
      expect(thrownGeyserError(() => gpuBoxBlur(manager, source, target, 256)).message).toBe('Expected integer between 0 and 255 for radius but received 256 of type number');
      expect(thrownGeyserError(() => gpuRgbaToYuv420(manager, source, { y: gray, uv: gray })).message).toBe("Expected a r8unorm texture for planes.y but received texture 'r32'");
    } finally {
      gray.release();
    }
    const host = await createTextureShareManager({ backend: 'host' });
    try {
      const error = thrownGeyserError(() => gpuGrayscale(host, source, target));
      expect(error.code).toBe('OperationNotSupported');
      expect(error.message).toBe('Expected a VulkanTextureShareManager (GPU filters run on Vulkan) for manager but received an object');
    } finally {
      host.dispose();
    }
  });
});

describe('compute dispatches leak nothing', () => {
  it('fds and device allocations are back to their starting counts after filters, errors and dispose', async () => {
    const manager = await openVulkan();
    // Warm up once (first dispatch creates the descriptor pool and pipelines, kept until dispose).
    const warm = manager.createShareableTexture({ width: 16, height: 16, format: 'rgba8unorm', usage: [...STORAGE] });
    gpuGrayscale(manager, warm, manager.createShareableTexture({ width: 16, height: 16, format: 'rgba8unorm', usage: [...STORAGE] }));
    const fds = openFdCount();
    const allocations = manager.liveAllocationCount;
    for (let i = 0; i < 10; i++) {
      const source = manager.createShareableTexture({ width: 64, height: 48, format: 'rgba8unorm', usage: [...STORAGE] });
      const target = manager.createShareableTexture({ width: 64, height: 48, format: 'rgba8unorm', usage: [...STORAGE] });
      manager.writeTexture(source, randomBytes(64 * 48 * 4, i));
      gpuBoxBlur(manager, source, target, 2); // creates and releases its own scratch texture
      gpuScale(manager, source, target);
      const planes = createYuv420Planes(manager, 64, 48, 'i420');
      gpuRgbaToYuv420(manager, source, planes);
      gpuLumaHistogram(manager, source);
      expect(() => manager.dispatchCompute({ spirv: new Uint32Array(3), textures: [source], groups: [1, 1, 1] })).toThrow(GeyserError);
      for (const texture of [source, target, ...Object.values(planes)]) texture.release();
    }
    expect(manager.liveAllocationCount).toBe(allocations);
    expect(openFdCount()).toBe(fds);
    manager.dispose();
    expect(openFdCount()).toBeLessThanOrEqual(fds);
  });
});
