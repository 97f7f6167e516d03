// CPU references for the GPU filter tests, written from the formulas the CPU kernels document
// (src/nodes/kernels/* on the pixels branch): plain loops, no shared code with the shaders.

/** Deterministic pseudo-random bytes (xorshift32), so failures reproduce. */
export function randomBytes(length: number, seed = 12345): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = state & 0xff;
  }
  return out;
}

/** BT.709 luma, `floor((2126 R + 7152 G + 722 B + 5000) / 10000)`, alpha kept. */
export function grayscaleReference(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i += 4) {
    const y = Math.floor((2126 * src[i]! + 7152 * src[i + 1]! + 722 * src[i + 2]! + 5000) / 10000);
    out.set([y, y, y, src[i + 3]!], i);
  }
  return out;
}

/** Bilinear with aligned centers, clamped edges, 11-bit weights rounded half up (float64 positions). */
export function scaleReference(src: Uint8Array, sw: number, sh: number, dw: number, dh: number): Uint8Array {
  const taps = (t: number, s: number, d: number) => {
    const p = Math.min(Math.max((t + 0.5) * (s / d) - 0.5, 0), s - 1);
    const base = Math.floor(p);
    return [base, Math.min(base + 1, s - 1), Math.round((p - base) * 2048)] as const;
  };
  const out = new Uint8Array(dw * dh * 4);
  for (let y = 0; y < dh; y++) {
    const [y0, y1, fy] = taps(y, sh, dh);
    for (let x = 0; x < dw; x++) {
      const [x0, x1, fx] = taps(x, sw, dw);
      for (let c = 0; c < 4; c++) {
        const at = (xx: number, yy: number) => src[(yy * sw + xx) * 4 + c]!;
        const upper = (2048 - fx) * at(x0, y0) + fx * at(x1, y0);
        const lower = (2048 - fx) * at(x0, y1) + fx * at(x1, y1);
        out[(y * dw + x) * 4 + c] = Math.floor(((2048 - fy) * upper + fy * lower + 2 ** 21) / 2 ** 22);
      }
    }
  }
  return out;
}

/** Box blur by brute force: mean of the (2r+1)^2 box, edges repeated, rounded half up. */
export function blurReference(src: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const out = new Uint8Array(src.length);
  const area = (2 * r + 1) ** 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let dy = -r; dy <= r; dy++) {
          for (let dx = -r; dx <= r; dx++) {
            const xx = Math.min(Math.max(x + dx, 0), w - 1);
            const yy = Math.min(Math.max(y + dy, 0), h - 1);
            sum += src[(yy * w + xx) * 4 + c]!;
          }
        }
        out[(y * w + x) * 4 + c] = Math.floor((sum + Math.floor(area / 2)) / area);
      }
    }
  }
  return out;
}

/** Limited-range coefficients (x 2^16) from Kr, Kb, as the CPU kernel derives them. */
function coefficients(kr: number, kb: number) {
  const kg = 1 - kr - kb;
  const ys = (219 / 255) * 65536;
  const cs = (224 / 255) * 65536;
  const ur = Math.round((cs * -kr) / (2 * (1 - kb)));
  const ug = Math.round((cs * -kg) / (2 * (1 - kb)));
  const vg = Math.round((cs * -kg) / (2 * (1 - kr)));
  const vb = Math.round((cs * -kb) / (2 * (1 - kr)));
  return { y: [Math.round(ys * kr), Math.round(ys * kg), Math.round(ys * kb)], u: [ur, ug, -(ur + ug)], v: [-(vg + vb), vg, vb] };
}

/** RGBA -> 4:2:0 limited range, laid out as the CPU kernel writes it (Y, then UV or U, V). */
export function yuv420Reference(src: Uint8Array, w: number, h: number, layout: 'nv12' | 'i420', matrix: 'bt709' | 'bt601'): Uint8Array {
  const k = matrix === 'bt709' ? coefficients(0.2126, 0.0722) : coefficients(0.299, 0.114);
  const cw = Math.ceil(w / 2);
  const ch = Math.ceil(h / 2);
  const out = new Uint8Array(w * h + 2 * cw * ch);
  for (let p = 0; p < w * h; p++) {
    out[p] = Math.floor((k.y[0]! * src[p * 4]! + k.y[1]! * src[p * 4 + 1]! + k.y[2]! * src[p * 4 + 2]! + (16 << 16) + (1 << 15)) / 65536);
  }
  for (let by = 0; by < ch; by++) {
    for (let bx = 0; bx < cw; bx++) {
      const sums = [0, 0, 0];
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        const x = Math.min(bx * 2 + dx, w - 1);
        const y = Math.min(by * 2 + dy, h - 1);
        for (let c = 0; c < 3; c++) sums[c]! += src[(y * w + x) * 4 + c]!;
      }
      const offset = (128 << 18) + (1 << 17);
      const u = Math.floor((k.u[0]! * sums[0]! + k.u[1]! * sums[1]! + k.u[2]! * sums[2]! + offset) / 2 ** 18);
      const v = Math.floor((k.v[0]! * sums[0]! + k.v[1]! * sums[1]! + k.v[2]! * sums[2]! + offset) / 2 ** 18);
      const block = by * cw + bx;
      if (layout === 'nv12') {
        out[w * h + block * 2] = u;
        out[w * h + block * 2 + 1] = v;
      } else {
        out[w * h + block] = u;
        out[w * h + cw * ch + block] = v;
      }
    }
  }
  return out;
}

/** Largest absolute difference between two byte arrays of equal length. */
export function maxDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
