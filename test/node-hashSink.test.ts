import { describe, expect, it } from 'vitest';
import { cpuFilter, GeyserError, hashSink, nullSink, pipeline, testPattern, type FrameHash } from '../src/index.js';
import { openFdCount } from './helpers/resources.js';

describe('hashSink', () => {
  it('flags exactly the frame whose pixels changed after stamping', async () => {
    const seen: FrameHash[] = [];
    const hashes = hashSink({ onFrame: (hash) => seen.push(hash) });
    const corruptFrame2 = cpuFilter(({ data, width }, frame) => {
      if (frame.seq === 2) data[width * 4 * 5 + 1]! ^= 1; // one bit of row 5
    });
    await pipeline(testPattern({ width: 32, height: 16, frames: 4 }), corruptFrame2, hashes, { backend: 'host' }).done;
    expect(hashes.results.map((h) => [h.seq, h.stampSeq, h.ok])).toEqual([[0, 0, true], [1, 1, true], [2, 2, false], [3, 3, true]]);
    expect(seen).toEqual(hashes.results);
  });

  it('reports stampSeq -1 for frames without a stamp', async () => {
    const blank = cpuFilter(({ data }) => void data.fill(0));
    const hashes = hashSink();
    await pipeline(testPattern({ width: 8, height: 8, frames: 1 }), blank, hashes, { backend: 'host' }).done;
    expect(hashes.results).toEqual([{ seq: 0, stampSeq: -1, ok: false, crc: expect.any(Number) }]);
  });

  it('rejects a non-function onFrame', () => {
    expect(() => hashSink({ onFrame: 'log' as never })).toThrow(new GeyserError('InvalidDescriptor', "Expected a function for hashSink.onFrame but received 'log' of type string"));
  });
});

describe('nullSink', () => {
  it('releases every frame at once, so a 2-slot pool carries any number of frames', async () => {
    await pipeline(testPattern({ width: 8, height: 8, frames: 2 }), nullSink(), { backend: 'host' }).done;
    const fds = openFdCount();
    const run = pipeline(testPattern({ width: 64, height: 64, frames: 200, pool: { min: 1, max: 2 } }), nullSink({ name: 'drain' }), { backend: 'host' });
    await run.done;
    expect(openFdCount()).toBe(fds);
  });

  it('lets an endless unpaced source be stopped (the source yields to the event loop)', async () => {
    const endless = pipeline(testPattern({ width: 8, height: 8 }), nullSink(), { backend: 'host' });
    await endless.ready;
    await new Promise((resolve) => setTimeout(resolve, 50));
    await endless.stop();
    await endless.done;
  });
});
