import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRgbaImage, decodePng, drawTestPattern, GeyserError, pipeline, pngSink, testPattern } from '../src/index.js';
import { ffmpeg } from './helpers/pixels.js';

const dir = mkdtempSync(join(tmpdir(), 'geyser-pngsink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pngSink', () => {
  it('writes every Nth frame to a numbered PNG holding exactly its pixels', async () => {
    const pattern = join(dir, 'run1', 'frame-%03d.png');
    await pipeline(testPattern({ width: 48, height: 32, frames: 7 }), pngSink({ path: pattern, every: 3, level: 1 }), { backend: 'host' }).done;
    expect(readdirSync(join(dir, 'run1')).sort()).toEqual(['frame-000.png', 'frame-003.png', 'frame-006.png']);
    for (const seq of [0, 3, 6]) {
      const path = join(dir, 'run1', `frame-${String(seq).padStart(3, '0')}.png`);
      const expected = drawTestPattern(createRgbaImage(48, 32), seq).data;
      expect(Buffer.from(decodePng(readFileSync(path)).data).equals(Buffer.from(expected))).toBe(true);
      // An independent decoder agrees.
      expect(ffmpeg(['-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgba', '-']).equals(Buffer.from(expected))).toBe(true);
    }
  });

  it('fails the pipeline naming the file it cannot write', async () => {
    const blocker = join(dir, 'not-a-dir');
    await pipeline(testPattern({ width: 8, height: 8, frames: 1 }), pngSink({ path: blocker + '-%d' }), { backend: 'host' }).done;
    expect(existsSync(blocker + '-0')).toBe(true);
    const run = pipeline(testPattern({ width: 8, height: 8, frames: 1 }), pngSink({ path: join(blocker + '-0', 'x-%d.png') }), { backend: 'host' });
    await expect(run.done).rejects.toThrow(`node 'pngSink' cannot write frame 0 to '${join(blocker + '-0', 'x-0.png')}'`);
  });

  it.each([
    [{ path: 'frame.png' }, "Expected a path with one '%d' or '%0Nd' placeholder (such as 'out/frame-%05d.png') for pngSink.path but received 'frame.png' of type string"],
    [{ path: '%d-%d.png' }, "Expected a path with one '%d' or '%0Nd' placeholder (such as 'out/frame-%05d.png') for pngSink.path but received '%d-%d.png' of type string"],
    [{ path: '50%-%d.png' }, "Expected a path with one '%d' or '%0Nd' placeholder (such as 'out/frame-%05d.png') for pngSink.path but received '50%-%d.png' of type string"],
    [{ path: 'f-%d.png', every: 0 }, 'Expected integer between 1 and 2147483647 for pngSink.every but received 0 of type number'],
    [{ path: 'f-%d.png', level: 11 }, 'Expected integer between 0 and 9 for pngSink.level but received 11 of type number'],
  ])('rejects bad options (%o)', (options, message) => {
    expect(() => pngSink(options)).toThrow(new GeyserError('InvalidDescriptor', message));
  });

  it('accepts %% as a literal percent sign', async () => {
    await pipeline(testPattern({ width: 8, height: 8, frames: 1 }), pngSink({ path: join(dir, '100%%-%02d.png') }), { backend: 'host' }).done;
    expect(existsSync(join(dir, '100%-00.png'))).toBe(true);
  });
});
