import { describe, expect, it } from 'vitest';
import { createTextureShareManager, GeyserError, grayscale, hashSink, inChildProcess, pipeline, testPattern } from '../src/index.js';
import { childProcessCount, openFdCount } from './helpers/resources.js';

/** Whether a Vulkan device opens here (lavapipe gives one with no GPU). */
const vulkanAvailable = await createTextureShareManager({ backend: 'vulkan' }).then(
  (manager) => {
    manager.dispose();
    return true;
  },
  () => false,
);

describe('testPattern', () => {
  it('produces the requested frames, each stamped with its seq, on the host backend', async () => {
    const hashes = hashSink();
    await pipeline(testPattern({ width: 64, height: 48, frames: 12 }), hashes, { backend: 'host' }).done;
    expect(hashes.results.map((h) => h.seq)).toEqual([...Array(12).keys()]);
    expect(hashes.results.every((h) => h.ok && h.stampSeq === h.seq)).toBe(true);
    // Frames differ from one another (the bars move, the counter changes).
    expect(new Set(hashes.results.map((h) => h.crc)).size).toBe(12);
  });

  it('draws the same pictures on every run', async () => {
    const [first, second] = [hashSink(), hashSink()];
    await pipeline(testPattern({ width: 40, height: 30, frames: 5 }), first, { backend: 'host' }).done;
    await pipeline(testPattern({ width: 40, height: 30, frames: 5 }), second, { backend: 'host' }).done;
    expect(second.results.map((h) => h.crc)).toEqual(first.results.map((h) => h.crc));
  });

  it('stamps BGRA frames too', async () => {
    const hashes = hashSink();
    await pipeline(testPattern({ width: 32, height: 8, frames: 3, format: 'bgra8unorm' }), hashes, { backend: 'host' }).done;
    expect(hashes.results.map((h) => [h.stampSeq, h.ok])).toEqual([[0, true], [1, true], [2, true]]);
  });

  it('sets pts from fps and paces frames in real time', async () => {
    const pts: number[] = [];
    const started = performance.now();
    await pipeline(testPattern({ width: 8, height: 8, frames: 6, fps: 50 }), hashSink({ onFrame: () => pts.push(performance.now() - started) }), { backend: 'host' }).done;
    // Frame 5 is due 100 ms after frame 0: pacing may be late, never early.
    expect(pts[5]! - pts[0]!).toBeGreaterThanOrEqual(95);
  });

  it('hands frames across a process boundary intact', async () => {
    const fds = openFdCount();
    const children = childProcessCount();
    const hashes = hashSink();
    await pipeline(
      inChildProcess(new URL('./fixtures/pixels-test-pattern.mjs', import.meta.url), { options: { width: 320, height: 180, frames: 30 } }),
      hashes,
      { backend: 'host' },
    ).done;
    expect(hashes.results).toHaveLength(30);
    expect(hashes.results.every((h, i) => h.seq === i && h.stampSeq === i && h.ok)).toBe(true);
    expect(childProcessCount()).toBe(children);
    expect(openFdCount()).toBe(fds);
  });

  // On Vulkan the frames are drawn on the GPU (test/node-testPattern-gpu.test.ts has the details);
  // this needs a Vulkan driver (mesa-vulkan-drivers' lavapipe on CI) and is skipped without one.
  it.skipIf(!vulkanAvailable)('works on the Vulkan backend, and filters downstream see the host backend picture', async () => {
    const hashes = hashSink();
    await pipeline(testPattern({ width: 96, height: 54, frames: 4 }), hashes, { backend: 'vulkan' }).done;
    expect(hashes.results.map((h) => [h.stampSeq, h.ok])).toEqual([[0, true], [1, true], [2, true], [3, true]]);
    const grays = hashSink();
    await pipeline(testPattern({ width: 96, height: 54, frames: 2 }), grayscale(), grays, { backend: 'vulkan' }).done;
    const hostGrays = hashSink();
    await pipeline(testPattern({ width: 96, height: 54, frames: 2 }), grayscale(), hostGrays, { backend: 'host' }).done;
    expect(grays.results.map((h) => h.crc)).toEqual(hostGrays.results.map((h) => h.crc));
  });

  it('leaks no fd over a run', async () => {
    await pipeline(testPattern({ width: 16, height: 16, frames: 2 }), hashSink(), { backend: 'host' }).done;
    const before = openFdCount();
    await pipeline(testPattern({ width: 256, height: 256, frames: 20 }), hashSink(), { backend: 'host' }).done;
    expect(openFdCount()).toBe(before);
  });

  it.each([
    [{ width: 2, height: 8 }, 'Expected integer between 3 and 16384 for testPattern.width but received 2 of type number'],
    [{ width: 8, height: 1.5 }, 'Expected integer between 2 and 16384 for testPattern.height but received 1.5 of type number'],
    [{ width: 8, height: 8, frames: -1 }, 'Expected integer between 0 and 4294967296 for testPattern.frames but received -1 of type number'],
    [{ width: 8, height: 8, fps: 0 }, 'Expected number greater than 0 and at most 1000 for testPattern.fps but received 0 of type number'],
    [{ width: 8, height: 8, format: 'r8unorm' }, "Expected one of rgba8unorm, rgba8unorm-srgb, bgra8unorm for testPattern.format but received 'r8unorm' of type string"],
  ])('rejects bad options with a message naming the field (%o)', (options, message) => {
    expect(() => testPattern(options as never)).toThrow(new GeyserError('InvalidDescriptor', message));
  });

  it('catches misspelled options', () => {
    expect(() => testPattern({ width: 8, height: 8, frame: 3 } as never)).toThrow(new TypeError("Unknown option 'frame' for testPattern; expected one of: width, height, frames, fps, format, name, input, pool"));
  });
});
