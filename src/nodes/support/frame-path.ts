/**
 * File names for numbered frames: a printf-like `%d` / `%05d` placeholder replaced by the frame's
 * sequence number, as ffmpeg's image2 muxer spells it; `%%` is a literal percent sign.
 *
 * @internal
 * @module
 */
import { invalid } from '../../core/validate.js';

/** One token: `%%`, `%d`, `%0Nd` (N 1 to 9), or any other `%` (an error). */
const TOKEN = /%(?:%|(0[1-9])?d|)/g;

/**
 * Checks a path pattern: a non-empty string with exactly one `%d` or `%0Nd`, and no other `%`
 * except `%%`.
 */
export function checkFramePathPattern(pattern: unknown, field: string): string {
  const expected = "a path with one '%d' or '%0Nd' placeholder (such as 'out/frame-%05d.png')";
  if (typeof pattern !== 'string' || pattern === '') invalid(expected, field, pattern);
  let placeholders = 0;
  let stray = false;
  for (const [token] of pattern.matchAll(TOKEN)) {
    if (token === '%') stray = true;
    else if (token !== '%%') placeholders++;
  }
  if (placeholders !== 1 || stray) invalid(expected, field, pattern);
  return pattern;
}

/** The path of frame `seq`: `formatFramePath('f-%05d.png', 42)` is `'f-00042.png'`. */
export function formatFramePath(pattern: string, seq: number): string {
  return pattern.replace(TOKEN, (token, width: string | undefined) => (token === '%%' ? '%' : String(seq).padStart(width === undefined ? 0 : Number(width), '0')));
}
