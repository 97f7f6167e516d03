/**
 * The color-convert shaders' push constants, from the CPU kernel's coefficients (one source of
 * truth, so the GPU output stays bit-exact with `rgbaToYuv420`).
 *
 * @internal
 * @module
 */
import { YUV_COEFFICIENTS, type YuvMatrix } from '../kernels/yuv420.js';

/** The shaders' push-constant block: Y, U, V rows as three ivec4 (4th lane unused), 48 bytes. */
export function yuvPushConstants(matrix: YuvMatrix): Int32Array {
  const k = YUV_COEFFICIENTS[matrix];
  return new Int32Array([k.yr, k.yg, k.yb, 0, k.ur, k.ug, k.ub, 0, k.vr, k.vg, k.vb, 0]);
}
