// The one-input CPU filters, each run in a pipeline on the host backend and compared byte for byte
// with its kernel applied to the same test pattern frames outside any pipeline.
import { describe, expect, it } from 'vitest';
import {
  blur, boxBlur, colorConvert, cpuFilter, createRgbaImage, drawTestPattern, GeyserError, grayscale, grayscaleRgba,
  pipeline, rgbaToYuv420, scale, scaleBilinear, testPattern, yuv420ByteLength, type Frame, type OperatorNode, type RgbaImage,
} from '../src/index.js';
import { collectSink } from './helpers/collect-sink.js';
import { openFdCount } from './helpers/resources.js';

const W = 96;
const H = 54;
const FRAMES = 4;

/** Frame `seq` of the test pattern, drawn outside any pipeline. */
function patternFrame(seq: number, width = W, height = H): RgbaImage {
  return drawTestPattern(createRgbaImage(width, height), seq);
}

/** Runs testPattern -> filter -> collect and returns the collected frames. */
async function run(filter: OperatorNode<Frame, Frame>, width = W, height = H): Promise<ReturnType<typeof collectSink>['frames']> {
  const sink = collectSink();
  await pipeline(testPattern({ width, height, frames: FRAMES }), filter, sink, { backend: 'host' }).done;
  expect(sink.frames.map((f) => f.seq)).toEqual([...Array(FRAMES).keys()]);
  return sink.frames;
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

describe('grayscale', () => {
  it('emits each frame in BT.709 gray, as grayscaleRgba computes it', async () => {
    for (const frame of await run(grayscale())) {
      expect(same(frame.pixels, grayscaleRgba(patternFrame(frame.seq), createRgbaImage(W, H)).data)).toBe(true);
    }
  });
});

describe('scale', () => {
  it('emits frames of the new size, as scaleBilinear computes them, keeping seq and pts', async () => {
    const frames = await run(scale({ width: 40, height: 30 }));
    for (const frame of frames) {
      expect([frame.width, frame.height, frame.pts]).toEqual([40, 30, Math.round((frame.seq * 1e6) / 30)]);
      expect(same(frame.pixels, scaleBilinear(patternFrame(frame.seq), createRgbaImage(40, 30)).data)).toBe(true);
    }
  });

  it('rejects a bad size', () => {
    expect(() => scale({ width: 0, height: 10 })).toThrow(new GeyserError('InvalidDescriptor', 'Expected integer between 1 and 16384 for scale.width but received 0 of type number'));
  });
});

describe('blur', () => {
  it('emits box-blurred frames, passes times', async () => {
    for (const frame of await run(blur({ radius: 3, passes: 2 }))) {
      const expected = boxBlur(patternFrame(frame.seq), createRgbaImage(W, H), 3);
      boxBlur(expected, expected, 3);
      expect(same(frame.pixels, expected.data)).toBe(true);
    }
  });

  it.each([
    [{ radius: -2 }, 'Expected integer between 0 and 255 for blur.radius but received -2 of type number'],
    [{ radius: 2, passes: 9 }, 'Expected integer between 1 and 4 for blur.passes but received 9 of type number'],
  ])('rejects bad options (%o)', (options, message) => {
    expect(() => blur(options)).toThrow(new GeyserError('InvalidDescriptor', message));
  });
});

describe('colorConvert', () => {
  it.each(['nv12', 'i420'] as const)('emits %s frames in r8unorm textures with metadata saying how to read them', async (to) => {
    for (const frame of await run(colorConvert({ to }))) {
      expect([frame.format, frame.width, frame.height]).toEqual(['r8unorm', W, (H * 3) / 2]);
      expect(frame.metadata).toEqual({ pixelFormat: to, pictureWidth: W, pictureHeight: H, colorMatrix: 'bt709', colorRange: 'tv' });
      expect(same(frame.pixels, rgbaToYuv420(patternFrame(frame.seq), new Uint8Array(yuv420ByteLength(W, H)), to))).toBe(true);
    }
  });

  it('fails the pipeline on an odd frame size, naming the node and frame', async () => {
    const run = pipeline(testPattern({ width: 33, height: 20, frames: 2 }), colorConvert({ to: 'nv12' }), collectSink(), { backend: 'host' });
    await expect(run.done).rejects.toThrow('colorConvert needs even frame sizes for 4:2:0 but frame 0 is 33x20');
  });

  it('rejects an unknown layout', () => {
    expect(() => colorConvert({ to: 'yuy2' as 'nv12' })).toThrow(new GeyserError('InvalidDescriptor', "Expected one of nv12, i420 for colorConvert.to but received 'yuy2' of type string"));
  });
});

describe('cpuFilter', () => {
  it('runs the user function over a copy of the pixels in the output frame', async () => {
    const seen: number[] = [];
    const invert = cpuFilter(({ data }, frame) => {
      seen.push(frame.seq);
      for (let i = 0; i < data.length; i += 4) data[i] = 255 - data[i]!;
    });
    for (const frame of await run(invert)) {
      const expected = patternFrame(frame.seq).data;
      for (let i = 0; i < expected.length; i += 4) expected[i] = 255 - expected[i]!;
      expect(same(frame.pixels, expected)).toBe(true);
    }
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('ends the pipeline with the error the function throws, leaking no fd', async () => {
    await run(cpuFilter(() => undefined));
    const fds = openFdCount();
    const failing = cpuFilter(async (_, frame) => {
      if (frame.seq === 2) throw new Error('bad pixel at frame 2');
    });
    await expect(pipeline(testPattern({ width: W, height: H, frames: 10 }), failing, collectSink(), { backend: 'host' }).done).rejects.toThrow('bad pixel at frame 2');
    expect(openFdCount()).toBe(fds);
  });

  it('rejects a non-function', () => {
    expect(() => cpuFilter(42 as never)).toThrow(new GeyserError('InvalidDescriptor', 'Expected a function (image, frame) => void for cpuFilter fn but received 42 of type number'));
  });
});

describe('the RGBA filters', () => {
  it('refuse frames that are not RGBA8, naming the node and the format', async () => {
    const run = pipeline(testPattern({ width: 16, height: 16, frames: 1 }), colorConvert({ to: 'i420' }), grayscale({ name: 'gray' }), collectSink(), { backend: 'host' });
    await expect(run.done).rejects.toThrow("node 'gray' works on rgba8unorm or rgba8unorm-srgb frames but frame 0 is r8unorm");
  });
});
