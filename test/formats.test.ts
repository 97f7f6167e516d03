import { describe, expect, it } from 'vitest';
import { ALL_FORMATS, ALL_USAGES, formatInfo, GeyserError, TextureFormat, TextureUsage, textureByteLength, validateDescriptor } from '../src/index.js';

describe('TextureFormat', () => {
  it('lists the 21 formats of the seed in WebGPU spelling', () => {
    expect(ALL_FORMATS).toHaveLength(21);
    expect(TextureFormat.Rgba8Unorm).toBe('rgba8unorm');
    expect(TextureFormat.Rgba8Srgb).toBe('rgba8unorm-srgb');
    expect(TextureFormat.Rg11b10Float).toBe('rg11b10ufloat');
    expect(new Set(ALL_FORMATS).size).toBe(21);
  });

  it('knows the bytes per texel of each format', () => {
    expect(formatInfo('rgba8unorm').bytesPerTexel).toBe(4);
    expect(formatInfo('rgba16float').bytesPerTexel).toBe(8);
    expect(formatInfo('rgba32float').bytesPerTexel).toBe(16);
    expect(formatInfo('r8unorm').bytesPerTexel).toBe(1);
    expect(textureByteLength('rgba8unorm', 1920, 1080)).toBe(8_294_400);
  });

  it('marks the opaque depth formats as not copyable to the CPU', () => {
    expect(formatInfo('depth24plus').copyable).toBe(false);
    expect(formatInfo('depth24plus-stencil8').copyable).toBe(false);
    expect(formatInfo('depth32float').copyable).toBe(true);
  });
});

describe('TextureUsage', () => {
  it('lists the 5 usages in WebGPU spelling', () => {
    expect(ALL_USAGES).toEqual(['copy-src', 'copy-dst', 'texture-binding', 'render-attachment', 'storage-binding']);
    expect(TextureUsage.StorageBinding).toBe('storage-binding');
  });
});

describe('validateDescriptor', () => {
  const good = { width: 16, height: 8, format: 'rgba8unorm', usage: ['copy-src'] } as const;

  it('returns a frozen, defaulted copy', () => {
    const desc = validateDescriptor(good);
    expect(desc).toEqual({ width: 16, height: 8, format: 'rgba8unorm', usage: ['copy-src'], label: '' });
    expect(Object.isFrozen(desc)).toBe(true);
  });

  it.each([
    [{ ...good, width: 0 }, 'Expected integer between 1 and 16384 for descriptor.width but received 0 of type number'],
    [{ ...good, width: 100000 }, 'Expected integer between 1 and 16384 for descriptor.width but received 100000 of type number'],
    [{ ...good, height: 2.5 }, 'Expected integer between 1 and 16384 for descriptor.height but received 2.5 of type number'],
    [{ ...good, usage: [] }, 'Expected a non-empty array of texture usages for descriptor.usage but received an array of length 0'],
    [{ ...good, usage: ['copy-src', 'sample'] }, "Expected one of copy-src, copy-dst, texture-binding, render-attachment, storage-binding for descriptor.usage[1] but received 'sample' of type string"],
  ])('rejects %o with a message naming the field', (descriptor, message) => {
    expect(() => validateDescriptor(descriptor)).toThrow(new GeyserError('InvalidDescriptor', message));
  });

  it('rejects an unknown format naming the 21 it accepts', () => {
    expect(() => validateDescriptor({ ...good, format: 'rgb8unorm' })).toThrow(/for descriptor.format but received 'rgb8unorm' of type string/);
  });

  it('catches misspelled keys', () => {
    expect(() => validateDescriptor({ ...good, widht: 3 })).toThrow(TypeError);
    expect(() => validateDescriptor({ ...good, widht: 3 })).toThrow("Unknown option 'widht'");
  });
});
