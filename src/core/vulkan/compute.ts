/**
 * Validation for `VulkanTextureShareManager.dispatchCompute`: turns the user's options into the
 * flat object the addon reads (native/vulkan/napi_compute.cc), or throws naming the field.
 *
 * @internal
 * @module
 */
import { describeTexture } from '../descriptor.js';
import { GeyserError } from '../errors.js';
import type { SharedTexture } from '../types.js';
import { checkKnownKeys, describeValue, expectedMessage, invalid, isInteger, isPlainObject } from '../validate.js';
import type { NativeImage } from './binding.js';
import { inspectSpirv } from './spirv.js';

/** Push-constant bytes one dispatch may pass (the minimum every Vulkan device guarantees). */
export const MAX_PUSH_CONSTANT_BYTES = 128;
/** Textures one dispatch may bind (Vulkan guarantees at least 4 storage images per stage). */
export const MAX_COMPUTE_TEXTURES = 4;
/** The largest storage buffer one dispatch may exchange with the host (64 MiB). */
export const MAX_STORAGE_BUFFER_BYTES = 64 * 1024 * 1024;
/** The largest work-group count per dimension every Vulkan device accepts. */
export const MAX_WORK_GROUPS = 65535;

/** Passes one dispatch may chain in one submission (native/vulkan/compute_context.h). */
export const MAX_COMPUTE_PASSES = 8;

/** One compute shader run: what a single-pass dispatch gives at its top level, or one entry of `passes`. */
export interface ComputePass {
  /**
   * The compute shader: SPIR-V words with a GLCompute entry point `main`. Its descriptor set 0 must
   * be storage images at bindings 0..n-1, one per texture (then the storage buffer, if any).
   */
  readonly spirv: Uint32Array;
  /** Bytes of the shader's push-constant block (a multiple of 4, at most 128); default none. */
  readonly pushConstants?: ArrayBuffer | ArrayBufferView;
  /** Work groups to launch in x, y, z (each 1 to 65535). */
  readonly groups: readonly [number, number, number];
}

/** The resources every pass of a dispatch binds. */
export interface ComputeBindings {
  /** Binding i is `textures[i]`; each needs `storage-binding` usage; 1 to 4, no repeats. */
  readonly textures: readonly SharedTexture[];
  /**
   * Bytes exchanged with the shader through a storage buffer at binding `textures.length`: copied
   * in before the dispatch, and the shader's result copied back into this same array after it
   * (a multiple of 4 bytes, at most 64 MiB). Default: no buffer binding.
   */
  readonly storageBuffer?: ArrayBufferView;
}

/** Several passes over the same bindings in one submission. */
export interface ComputePasses {
  /**
   * 1 to 8 passes, run in order with a memory barrier between each (a pass sees every image and
   * buffer write of the passes before it), in one queue submission and one fence wait.
   */
  readonly passes: readonly ComputePass[];
}

/**
 * What `dispatchCompute` takes: the bindings, and either one pass (`spirv`, `pushConstants`,
 * `groups`) or `passes`.
 */
export type ComputeDispatch = ComputeBindings & (ComputePass | ComputePasses);

/** One pass as the addon reads it. */
export interface NativePass {
  spirv: Uint32Array;
  pushConstants: Uint8Array;
  groupsX: number;
  groupsY: number;
  groupsZ: number;
}

/** The flat object the addon reads. */
export interface NativeDispatch {
  passes: NativePass[];
  images: NativeImage[];
  storageBuffer: Uint8Array | null;
}

const KEYS = ['spirv', 'textures', 'pushConstants', 'groups', 'storageBuffer', 'passes'] as const;
const PASS_KEYS = ['spirv', 'pushConstants', 'groups'] as const;

function checkStorageBuffer(value: unknown): Uint8Array | null {
  if (value === undefined) return null;
  if (!ArrayBuffer.isView(value)) throw new GeyserError('InvalidDescriptor', expectedMessage('a typed array', 'storageBuffer', value));
  if (value.byteLength === 0 || value.byteLength > MAX_STORAGE_BUFFER_BYTES || value.byteLength % 4 !== 0) {
    throw new GeyserError(
      'InvalidDescriptor',
      `Expected 4 to ${MAX_STORAGE_BUFFER_BYTES} bytes (a multiple of 4) for storageBuffer but received ${value.byteLength} bytes`,
    );
  }
  // A view of the caller's memory (not a copy): the shader's result lands in their array.
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

function checkPushConstants(value: unknown, field: string): Uint8Array {
  if (value === undefined) return new Uint8Array(0);
  let bytes: Uint8Array;
  if (value instanceof ArrayBuffer) bytes = new Uint8Array(value);
  else if (ArrayBuffer.isView(value)) bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  else throw new GeyserError('InvalidDescriptor', expectedMessage('an ArrayBuffer or typed array', field, value));
  if (bytes.byteLength > MAX_PUSH_CONSTANT_BYTES || bytes.byteLength % 4 !== 0) {
    throw new GeyserError(
      'InvalidDescriptor',
      `Expected at most ${MAX_PUSH_CONSTANT_BYTES} bytes (a multiple of 4) for ${field} but received ${bytes.byteLength} bytes`,
    );
  }
  return new Uint8Array(bytes); // a copy: the caller may reuse its buffer at once
}

function checkGroups(value: unknown, field: string): [number, number, number] {
  if (!Array.isArray(value) || value.length !== 3) invalid('an array of 3 work-group counts [x, y, z]', field, value);
  value.forEach((count, i) => {
    if (!isInteger(count) || count < 1 || count > MAX_WORK_GROUPS) invalid(`integer between 1 and ${MAX_WORK_GROUPS}`, `${field}[${i}]`, count);
  });
  return value as [number, number, number];
}

/** The passes of a dispatch: its top-level pass, or its `passes` (one or the other, not both). */
function passList(options: Record<string, unknown>): { pass: Record<string, unknown>; prefix: string }[] {
  if (options.passes === undefined) return [{ pass: options, prefix: '' }];
  const mixed = PASS_KEYS.filter((key) => options[key] !== undefined);
  if (mixed.length > 0) {
    throw new GeyserError('InvalidDescriptor', `dispatchCompute takes either passes or ${PASS_KEYS.join(', ')} at its top level, not both (received passes and ${mixed.join(', ')})`);
  }
  const passes = options.passes;
  if (!Array.isArray(passes) || passes.length < 1 || passes.length > MAX_COMPUTE_PASSES) {
    invalid(`an array of 1 to ${MAX_COMPUTE_PASSES} passes`, 'passes', passes);
  }
  return passes.map((pass: unknown, i: number) => {
    if (!isPlainObject(pass)) invalid('a pass object { spirv, pushConstants, groups }', `passes[${i}]`, pass);
    checkKnownKeys(pass, PASS_KEYS, `dispatchCompute passes[${i}]`);
    return { pass, prefix: `passes[${i}].` };
  });
}

/**
 * Validates a dispatch. `nativeOf` resolves a texture to its image (throwing `Released` or
 * `InvalidTextureHandle` for a released texture or another manager's).
 */
export function resolveDispatch(options: unknown, nativeOf: (texture: SharedTexture, field: string) => NativeImage): NativeDispatch {
  if (!isPlainObject(options)) throw new TypeError(expectedMessage('a dispatch object', 'options', options));
  checkKnownKeys(options, KEYS, 'dispatchCompute');
  const listed = passList(options);
  const facts = listed.map(({ pass, prefix }) => inspectSpirv(pass.spirv, `${prefix}spirv`));
  const textures = options.textures;
  if (!Array.isArray(textures) || textures.length < 1 || textures.length > MAX_COMPUTE_TEXTURES) {
    invalid(`an array of 1 to ${MAX_COMPUTE_TEXTURES} textures`, 'textures', textures);
  }
  const storageBuffer = checkStorageBuffer(options.storageBuffer);
  facts.forEach(({ bindings, kinds }, i) => {
    const shader = options.passes === undefined ? 'the shader' : `the shader of passes[${i}]`;
    const expected = bindings.every((binding, j) => binding === j) ? bindings.length : -1;
    if (expected !== textures.length + (storageBuffer === null ? 0 : 1)) {
      const declared = bindings.length === 0 ? 'no bindings' : `bindings ${bindings.join(', ')} in set 0`;
      const plusBuffer = storageBuffer === null ? '' : ', plus the storageBuffer after them';
      throw new GeyserError(
        'InvalidDescriptor',
        `Expected one texture per shader binding${plusBuffer} (${shader} declares ${declared}; bindings must be 0 to n-1) for textures but received ${describeValue(textures)}`,
      );
    }
    kinds.forEach((kind, binding) => {
      const bound = binding < textures.length ? 'storage image' : 'storage buffer';
      if (kind === bound) return;
      const what = binding < textures.length ? `textures[${binding}]` : 'the storageBuffer';
      throw new GeyserError('InvalidDescriptor', `Expected a ${bound} at binding ${binding} (${what}) but ${shader} declares ${kind === 'other' ? 'another kind of descriptor' : `a ${kind}`} there`);
    });
  });
  const images = textures.map((texture: SharedTexture, i: number) => {
    const image = nativeOf(texture, `textures[${i}]`);
    if (!texture.usage.includes('storage-binding')) {
      throw new GeyserError('OperationNotSupported', `dispatchCompute: textures[${i}] (${describeTexture(texture.descriptor)}) was created without storage-binding usage`);
    }
    if (textures.indexOf(texture) !== i) {
      throw new GeyserError('InvalidDescriptor', `dispatchCompute: textures[${i}] repeats textures[${textures.indexOf(texture)}]; bind each texture once`);
    }
    return image;
  });
  const passes = listed.map(({ pass, prefix }) => {
    const pushConstants = checkPushConstants(pass.pushConstants, `${prefix}pushConstants`);
    const [groupsX, groupsY, groupsZ] = checkGroups(pass.groups, `${prefix}groups`);
    return { spirv: pass.spirv as Uint32Array, pushConstants, groupsX, groupsY, groupsZ };
  });
  return { passes, images, storageBuffer };
}
