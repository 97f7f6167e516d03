// dispatchCompute({ passes }): several shaders over the same bindings in one submission, each
// seeing what the passes before it wrote (images and the storage buffer), checked with the test
// pattern's passes: the row CRCs of pass 2 are those of the picture pass 1 drew, and pass 3's stamp
// is the CRC of the whole picture. Also the validation of `passes`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAR_COLORS, createRgbaImage, createTextureShareManager, crc32, drawTestPattern, GeyserError, testPatternLayout, type SharedTexture, type VulkanTextureShareManager } from '../src/index.js';
import { builtinSpirv } from '../src/nodes/gpu/shaders.js';
import { openFdCount, openVulkan } from './vulkan-utils.js';

const NO_VULKAN = await createTextureShareManager({ backend: 'vulkan' }).then(
  (manager) => (manager.dispose(), false),
  () => true,
);
const W = 45;
const H = 30;
const SEQ = 12345;
/** Words before the row CRCs in the test pattern's storage buffer (operator, bar colors, glyphs). */
const HEADER = 32 + 8 + 77;

/** Runs `fn`, expecting a GeyserError or TypeError; returns its message. */
function messageOf(fn: () => unknown, type: typeof GeyserError | typeof TypeError = GeyserError): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return (error as Error).message;
  }
  throw new Error('expected an error, but nothing was thrown');
}

describe.skipIf(NO_VULKAN)('compute dispatches of several passes', () => {
  let manager: VulkanTextureShareManager;
  let texture: SharedTexture;
  let other: SharedTexture;

  beforeAll(async () => {
    manager = await openVulkan();
    texture = manager.createShareableTexture({ width: W, height: H, format: 'rgba8unorm', usage: ['storage-binding', 'copy-src', 'copy-dst'], label: 'target' });
    other = manager.createShareableTexture({ width: W, height: H, format: 'rgba8unorm', usage: ['storage-binding', 'copy-src', 'copy-dst'], label: 'other' });
  });
  afterAll(() => {
    texture?.release();
    other?.release();
    manager?.dispose();
  });

  /** The test pattern's push constants and a zeroed buffer of the right size (the row CRC pass needs no header). */
  function patternInputs(): { pushConstants: Uint32Array; storageBuffer: Uint32Array } {
    const layout = testPatternLayout(W, H);
    const shift = (SEQ * layout.barStep) % W;
    return {
      pushConstants: new Uint32Array([SEQ, shift, layout.barsHeight, layout.fontScale, layout.counterX, layout.counterY, `#${SEQ}`.length]),
      storageBuffer: new Uint32Array(HEADER + H),
    };
  }

  it('a later pass reads what an earlier pass wrote to the image, in the same submission', () => {
    // A picture the row-CRC pass would get wrong if it ran before the write (or saw stale texels).
    manager.writeTexture(texture, new Uint8Array(W * H * 4).fill(0x5a));
    const { storageBuffer } = patternInputs();
    const cpu = drawTestPattern(createRgbaImage(W, H), SEQ).data;
    // Pass 1 copies nothing; the written texture is the input. Pass 2 alone: the CRCs of 0x5a rows.
    manager.dispatchCompute({ textures: [texture], storageBuffer, passes: [{ spirv: builtinSpirv('testPatternRowCrc'), groups: [1, 1, 1] }] });
    const flat = crc32(new Uint8Array(W * 4).fill(0x5a));
    expect([...storageBuffer.subarray(HEADER + 1)]).toEqual(Array(H - 1).fill(flat));
    // Draw then CRC in one dispatch: the CRCs are those of the drawn rows, not of the 0x5a ones.
    const { pushConstants } = patternInputs();
    // The bar colors in the header; glyph rows of zero (the counter box comes out plain black).
    storageBuffer.fill(0);
    BAR_COLORS.forEach(([r, g, b, a], i) => (storageBuffer[32 + i] = (r | (g << 8) | (b << 16) | (a << 24)) >>> 0));
    manager.writeTexture(texture, new Uint8Array(W * H * 4).fill(0x5a));
    manager.dispatchCompute({
      textures: [texture],
      storageBuffer,
      passes: [
        { spirv: builtinSpirv('testPatternDraw'), pushConstants, groups: [3, 2, 1] },
        { spirv: builtinSpirv('testPatternRowCrc'), groups: [1, 1, 1] },
      ],
    });
    const drawn = manager.readTexture(texture);
    for (let y = 1; y < H; y++) expect(storageBuffer[HEADER + y]).toBe(crc32(drawn.subarray(y * W * 4, (y + 1) * W * 4)));
    expect(storageBuffer[HEADER + 1]).not.toBe(flat);
    // Rows below the counter box match the CPU picture (the bars and ramp do not use the glyphs).
    const below = (testPatternLayout(W, H).counterY + 9) * W * 4;
    expect(Buffer.from(drawn.subarray(below)).equals(Buffer.from(cpu.subarray(below)))).toBe(true);
  });

  it('runs passes asynchronously too, in order with single-pass dispatches', async () => {
    const { pushConstants, storageBuffer } = patternInputs();
    const first = manager.dispatchComputeAsync({
      textures: [texture],
      storageBuffer,
      passes: [
        { spirv: builtinSpirv('testPatternDraw'), pushConstants, groups: [3, 2, 1] },
        { spirv: builtinSpirv('testPatternRowCrc'), groups: [1, 1, 1] },
      ],
    });
    // Queued behind the first: overwrites its picture with grayscale of `other` (all zero).
    manager.writeTexture(other, new Uint8Array(W * H * 4));
    const second = manager.dispatchComputeAsync({ spirv: builtinSpirv('grayscale'), textures: [other, texture], groups: [3, 2, 1] });
    await Promise.all([first, second]);
    expect(storageBuffer[HEADER + H - 1]).not.toBe(0);
    expect(manager.readTexture(texture).every((byte) => byte === 0)).toBe(true);
  });

  it('leaks no fd over many multi-pass dispatches', () => {
    const { pushConstants, storageBuffer } = patternInputs();
    const passes = [
      { spirv: builtinSpirv('testPatternDraw'), pushConstants, groups: [3, 2, 1] as [number, number, number] },
      { spirv: builtinSpirv('testPatternRowCrc'), groups: [1, 1, 1] as [number, number, number] },
    ];
    manager.dispatchCompute({ textures: [texture], storageBuffer, passes });
    const fds = openFdCount();
    for (let i = 0; i < 30; i++) manager.dispatchCompute({ textures: [texture], storageBuffer, passes });
    expect(openFdCount()).toBe(fds);
  });

  it('refuses a shader whose binding kinds differ from what the dispatch binds (which could crash the driver)', () => {
    // grayscale declares two storage images; binding 1 here would be the storage buffer.
    expect(messageOf(() => manager.dispatchCompute({ spirv: builtinSpirv('grayscale'), textures: [texture], storageBuffer: new Uint32Array(4), groups: [1, 1, 1] }))).toBe(
      'Expected a storage buffer at binding 1 (the storageBuffer) but the shader declares a storage image there',
    );
    // The histogram's binding 1 is a buffer; binding a texture there is refused the other way round.
    expect(messageOf(() => manager.dispatchCompute({ spirv: builtinSpirv('lumaHistogram'), textures: [texture, other], groups: [1, 1, 1] }))).toBe(
      'Expected a storage image at binding 1 (textures[1]) but the shader declares a storage buffer there',
    );
  });

  describe('refuses bad passes, naming the pass', () => {
    const draw = (): Uint32Array => builtinSpirv('testPatternDraw');
    const buffer = (): Uint32Array => new Uint32Array(HEADER + H);

    it('passes and a top-level pass together', () => {
      expect(messageOf(() => manager.dispatchCompute({ textures: [texture], storageBuffer: buffer(), spirv: draw(), groups: [1, 1, 1], passes: [] } as never))).toBe(
        'dispatchCompute takes either passes or spirv, pushConstants, groups at its top level, not both (received passes and spirv, groups)',
      );
    });

    it.each([
      [[], 'Expected an array of 1 to 8 passes for passes but received an array of length 0'],
      [Array(9).fill({ spirv: new Uint32Array(0), groups: [1, 1, 1] }), 'Expected an array of 1 to 8 passes for passes but received an array of length 9'],
      ['draw', "Expected an array of 1 to 8 passes for passes but received 'draw' of type string"],
    ])('a bad passes list (%#)', (passes, message) => {
      expect(messageOf(() => manager.dispatchCompute({ textures: [texture], storageBuffer: buffer(), passes } as never))).toBe(message);
    });

    it('a pass that is not an object, or has an unknown key', () => {
      expect(messageOf(() => manager.dispatchCompute({ textures: [texture], passes: [{ spirv: draw(), groups: [1, 1, 1] }, 3] } as never))).toBe(
        'Expected a pass object { spirv, pushConstants, groups } for passes[1] but received 3 of type number',
      );
      expect(messageOf(() => manager.dispatchCompute({ textures: [texture], passes: [{ spirv: draw(), group: [1, 1, 1] }] } as never), TypeError)).toBe(
        "Unknown option 'group' for dispatchCompute passes[0]; expected one of: spirv, pushConstants, groups",
      );
    });

    it('bad SPIR-V, bindings, push constants or groups in one pass', () => {
      const ok = { spirv: draw(), groups: [1, 1, 1] as [number, number, number] };
      expect(messageOf(() => manager.dispatchCompute({ textures: [texture], storageBuffer: buffer(), passes: [ok, { spirv: new Uint32Array([1, 2]), groups: [1, 1, 1] }] }))).toBe(
        'passes[1].spirv is not a valid SPIR-V module: expected a 5-word header starting with the magic number 0x07230203 but received 2 words, first word 0x00000001',
      );
      expect(messageOf(() => manager.dispatchCompute({ textures: [texture], storageBuffer: buffer(), passes: [ok, { spirv: builtinSpirv('grayscale'), groups: [1, 1, 1] }] }))).toBe(
        'Expected a storage buffer at binding 1 (the storageBuffer) but the shader of passes[1] declares a storage image there',
      );
      expect(messageOf(() => manager.dispatchCompute({ textures: [texture], storageBuffer: buffer(), passes: [ok, { spirv: builtinSpirv('colorConvertNv12'), groups: [1, 1, 1] }, ok] }))).toBe(
        'Expected one texture per shader binding, plus the storageBuffer after them (the shader of passes[1] declares bindings 0, 1, 2 in set 0; bindings must be 0 to n-1) for textures but received an array of length 1',
      );
      expect(messageOf(() => manager.dispatchCompute({ textures: [texture], storageBuffer: buffer(), passes: [ok, { ...ok, pushConstants: new Uint8Array(132) }] }))).toBe(
        'Expected at most 128 bytes (a multiple of 4) for passes[1].pushConstants but received 132 bytes',
      );
      expect(messageOf(() => manager.dispatchCompute({ textures: [texture], storageBuffer: buffer(), passes: [ok, { ...ok, groups: [1, 0, 1] }] }))).toBe(
        'Expected integer between 1 and 65535 for passes[1].groups[1] but received 0 of type number',
      );
    });
  });
});
