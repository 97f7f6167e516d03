/**
 * The GPU kernel of the `blur` node: {@link gpuBoxBlurAsync} with a scratch texture kept for the
 * subscription (remade when the frame size changes), repeated in place for extra passes.
 *
 * @internal
 * @module
 */
import type { SharedTexture } from '../../core/types.js';
import type { NodeScope } from '../../pipeline/node-scope.js';
import { gpuBoxBlurAsync } from '../gpu/gpuBoxBlur.js';
import type { GpuFrameKernel } from './gpu-path.js';

/** Makes the blur's GPU kernel for one subscription; the scratch texture is released at teardown. */
export function gpuBlurKernel(scope: NodeScope, radius: number, passes: number): GpuFrameKernel {
  let scratch: SharedTexture | undefined;
  scope.add(() => scratch?.release());
  return async (manager, input, output) => {
    if (scratch === undefined || scratch.width !== input.width || scratch.height !== input.height) {
      scratch?.release();
      scratch = undefined; // a failed create below must not leave a released texture here
      scratch = manager.createShareableTexture({ width: input.width, height: input.height, format: 'rgba32float', usage: ['storage-binding'], label: `${scope.name} scratch` });
    }
    await gpuBoxBlurAsync(manager, input, output, radius, scratch);
    // In place is safe: each pass reads `output` into the scratch sums, then writes `output` from them.
    for (let pass = 1; pass < passes; pass++) await gpuBoxBlurAsync(manager, output, output, radius, scratch);
  };
}
