import { describe, expect, it } from 'vitest';
import { composite, compositeTiles, createRgbaImage, drawTestPattern, fanIn, GeyserError, overlayRgba, pipeline, testPattern } from '../src/index.js';
import { collectSink } from './helpers/collect-sink.js';

const pattern = (seq: number, width: number, height: number) => drawTestPattern(createRgbaImage(width, height), seq);

describe('composite', () => {
  it('tiles the frames of each set into one frame, as compositeTiles does', async () => {
    const sink = collectSink();
    await pipeline(
      fanIn(testPattern({ width: 64, height: 36, frames: 3 }), testPattern({ width: 32, height: 18, frames: 3, name: 'small' }), testPattern({ width: 48, height: 48, frames: 3, name: 'square' })),
      composite({ layout: 'tiles', width: 128, height: 72 }),
      sink,
      { backend: 'host' },
    ).done;
    expect(sink.frames.map((f) => [f.seq, f.width, f.height])).toEqual([[0, 128, 72], [1, 128, 72], [2, 128, 72]]);
    for (const frame of sink.frames) {
      const expected = compositeTiles([pattern(frame.seq, 64, 36), pattern(frame.seq, 32, 18), pattern(frame.seq, 48, 48)], createRgbaImage(128, 72));
      expect(Buffer.from(frame.pixels).equals(Buffer.from(expected.data))).toBe(true);
    }
  });

  it('lays input 1 over input 0 at x, y with opacity', async () => {
    const sink = collectSink();
    await pipeline(
      fanIn(testPattern({ width: 80, height: 60, frames: 2 }), testPattern({ width: 20, height: 10, frames: 2, name: 'logo' })),
      composite({ layout: 'overlay', x: 70, y: -3, opacity: 0.5 }),
      sink,
      { backend: 'host' },
    ).done;
    expect(sink.frames).toHaveLength(2);
    for (const frame of sink.frames) {
      const expected = overlayRgba(pattern(frame.seq, 80, 60), pattern(frame.seq, 20, 10), { x: 70, y: -3, opacity: 0.5 });
      expect(Buffer.from(frame.pixels).equals(Buffer.from(expected.data))).toBe(true);
    }
  });

  it('fails with a clear message when it gets single frames instead of sets', async () => {
    const run = pipeline(testPattern({ width: 8, height: 8, frames: 1 }), composite({ layout: 'tiles' }) as never, collectSink(), { backend: 'host' });
    await expect(run.done).rejects.toThrow("node 'composite' expects frame sets from fanIn() but received a single frame");
  });

  it('rejects a bad background when it is made, not at the first frame', () => {
    expect(() => composite({ layout: 'tiles', background: [0, 0, 300, 255] })).toThrow(
      new GeyserError('InvalidDescriptor', 'Expected [r, g, b, a] with integers 0 to 255 for composite.background but received an array of length 4'),
    );
  });

  it.each([
    [{ layout: 'overlay', opacity: 1.5 }, 'Expected number between 0 and 1 for composite.opacity but received 1.5 of type number'],
    [{ layout: 'overlay', layers: [{ x: 1 }, null] }, 'Expected an object { x, y, opacity } for composite.layers[1] but received null'],
    [{ layout: 'overlay', layers: [{ y: 0.5 }] }, 'Expected integer for composite.layers[0].y but received 0.5 of type number'],
  ])('rejects a bad overlay placement when it is made (%#)', (options, message) => {
    expect(() => composite(options as never)).toThrow(new GeyserError('InvalidDescriptor', message));
  });

  it('rejects an unknown layout', () => {
    expect(() => composite({ layout: 'grid' } as never)).toThrow(new GeyserError('InvalidDescriptor', "Expected 'tiles' or 'overlay' for composite.layout but received 'grid' of type string"));
  });
});
