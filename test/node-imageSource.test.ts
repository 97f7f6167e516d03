import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composite, createRgbaImage, drawTestPattern, fanIn, GeyserError, imageSource, overlayRgba, pipeline, testPattern } from '../src/index.js';
import { collectSink } from './helpers/collect-sink.js';
import { ffmpeg, smoothImage } from './helpers/pixels.js';

const dir = mkdtempSync(join(tmpdir(), 'geyser-imagesource-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A PNG written by ffmpeg (an independent encoder), RGB without alpha. */
function ffmpegPng(name: string, width: number, height: number): { path: string; rgba: Uint8Array } {
  const image = smoothImage(width, height);
  const path = join(dir, name);
  ffmpeg(['-y', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${width}x${height}`, '-i', '-', '-pix_fmt', 'rgb24', path], image.data);
  return { path, rgba: image.data };
}

describe('imageSource', () => {
  it('emits the PNG picture as rgba8unorm frames, the requested number of times', async () => {
    const { path, rgba } = ffmpegPng('card.png', 40, 24);
    const sink = collectSink();
    await pipeline(imageSource({ path, frames: 3 }), sink, { backend: 'host' }).done;
    expect(sink.frames.map((f) => [f.seq, f.format, f.width, f.height])).toEqual([[0, 'rgba8unorm', 40, 24], [1, 'rgba8unorm', 40, 24], [2, 'rgba8unorm', 40, 24]]);
    for (const frame of sink.frames) expect(Buffer.from(frame.pixels).equals(Buffer.from(rgba))).toBe(true);
  });

  it('repeats until its fanIn partner ends, as an overlay', async () => {
    const { path, rgba } = ffmpegPng('logo.png', 10, 6);
    const sink = collectSink();
    await pipeline(fanIn(testPattern({ width: 64, height: 36, frames: 5 }), imageSource({ path })), composite({ layout: 'overlay', x: 4, y: 20 }), sink, { backend: 'host' }).done;
    expect(sink.frames.map((f) => f.seq)).toEqual([0, 1, 2, 3, 4]);
    const expected = overlayRgba(drawTestPattern(createRgbaImage(64, 36), 4), { data: rgba, width: 10, height: 6 }, { x: 4, y: 20 });
    expect(Buffer.from(sink.frames[4]!.pixels).equals(Buffer.from(expected.data))).toBe(true);
  });

  it('fails the pipeline naming a file it cannot read', async () => {
    const path = join(dir, 'missing.png');
    const run = pipeline(imageSource({ path, frames: 1 }), collectSink(), { backend: 'host' });
    await expect(run.done).rejects.toThrow(`node 'imageSource' cannot read '${path}': ENOENT`);
  });

  it('fails the pipeline naming a file that is not a PNG', async () => {
    const path = join(dir, 'fake.png');
    writeFileSync(path, 'GIF89a not really');
    const run = pipeline(imageSource({ path, frames: 1 }), collectSink(), { backend: 'host' });
    await expect(run.done).rejects.toThrow(`${path}: not a PNG file (bad signature)`);
  });

  it.each([
    [{ path: '' }, "Expected a file path for imageSource.path but received '' of type string"],
    [{ path: 'a.png', frames: 1.5 }, 'Expected integer between 0 and 9007199254740991 for imageSource.frames but received 1.5 of type number'],
  ])('rejects bad options (%o)', (options, message) => {
    expect(() => imageSource(options)).toThrow(new GeyserError('InvalidDescriptor', message));
  });
});
