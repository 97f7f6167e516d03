/**
 * Fixed-point RGB -> YUV coefficients shared by the GPU color conversion.
 *
 * @module
 */

/** The RGB to YUV matrix: BT.709 (HD video, the default) or BT.601 (SD video). */
export type GpuYuvMatrix = 'bt709' | 'bt601';

/** Limited-range coefficients scaled by 2^16, one row per output channel. */
export interface YuvCoefficientRows {
  /** Y row: R, G, B weights. */
  readonly y: readonly [number, number, number];
  /** U row. */
  readonly u: readonly [number, number, number];
  /** V row. */
  readonly v: readonly [number, number, number];
}

/**
 * The same derivation as the CPU kernel (`src/nodes/kernels/yuv420.ts`, `YUV_COEFFICIENTS`), so
 * the GPU output is bit-exact with it: `Y = 16 + 219/255 (Kr R + Kg G + Kb B)`,
 * `U = 128 + 224/255 (B - Y') / (2 (1 - Kb))`, `V = 128 + 224/255 (R - Y') / (2 (1 - Kr))`,
 * with U's blue and V's red coefficient chosen so each row sums to 0 (gray maps to 128 exactly).
 */
function derive(kr: number, kb: number): YuvCoefficientRows {
  const kg = 1 - kr - kb;
  const s = 65536;
  const ys = (219 / 255) * s;
  const cs = (224 / 255) * s;
  const ur = Math.round((cs * -kr) / (2 * (1 - kb)));
  const ug = Math.round((cs * -kg) / (2 * (1 - kb)));
  const vg = Math.round((cs * -kg) / (2 * (1 - kr)));
  const vb = Math.round((cs * -kb) / (2 * (1 - kr)));
  return Object.freeze({
    y: Object.freeze([Math.round(ys * kr), Math.round(ys * kg), Math.round(ys * kb)] as const),
    u: Object.freeze([ur, ug, -(ur + ug)] as const),
    v: Object.freeze([-(vg + vb), vg, vb] as const),
  });
}

/**
 * Coefficients of each matrix (scaled by 2^16).
 *
 * @example
 * ```ts
 * GPU_YUV_COEFFICIENTS.bt709.y; // [11966, 40254, 4064]
 * ```
 */
export const GPU_YUV_COEFFICIENTS: Readonly<Record<GpuYuvMatrix, YuvCoefficientRows>> = Object.freeze({
  bt709: derive(0.2126, 0.0722),
  bt601: derive(0.299, 0.114),
});

/** The shaders' push-constant block: three ivec4 rows (the 4th lane unused), 48 bytes. */
export function yuvPushConstants(matrix: GpuYuvMatrix): Int32Array {
  const { y, u, v } = GPU_YUV_COEFFICIENTS[matrix];
  return new Int32Array([...y, 0, ...u, 0, ...v, 0]);
}
