/**
 * Argument checks shared by {@link gpuCompositeTiles} and {@link gpuOverlay}: a non-empty list of
 * rgba8unorm storage textures and a separate rgba8unorm storage target.
 *
 * @internal
 * @module
 */
import { describeTexture } from '../../core/descriptor.js';
import { GeyserError } from '../../core/errors.js';
import type { SharedTexture } from '../../core/types.js';
import { invalid } from '../../core/validate.js';
import { checkTexture } from './checks.js';

/** Checks that `texture` (already checked as a live rgba8unorm texture) can be bound as a storage image. */
function checkStorage(texture: SharedTexture, field: string): void {
  if (!texture.usage.includes('storage-binding')) {
    throw new GeyserError('OperationNotSupported', `${field} (${describeTexture(texture.descriptor)}) was created without storage-binding usage`);
  }
}

/** Checks the inputs and target of a composite; returns the inputs as a plain array. */
export function checkCompositeTextures(inputs: unknown, target: unknown): { inputs: SharedTexture[]; target: SharedTexture } {
  if (!Array.isArray(inputs) || inputs.length === 0) invalid('a non-empty array of textures', 'inputs', inputs);
  const checked = inputs.map((input: unknown, i: number) => {
    const texture = checkTexture(input, `inputs[${i}]`, 'rgba8unorm');
    checkStorage(texture, `inputs[${i}]`);
    return texture;
  });
  const out = checkTexture(target, 'target', 'rgba8unorm');
  checkStorage(out, 'target');
  const same = checked.indexOf(out);
  if (same !== -1) {
    throw new GeyserError('InvalidDescriptor', `Expected a texture that is not one of the inputs for target but received inputs[${same}] itself`);
  }
  return { inputs: checked, target: out };
}
