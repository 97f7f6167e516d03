import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jpeg from 'jpeg-js';
import { afterAll, describe, expect, it } from 'vitest';
import { decodePng, GeyserError, hashSink, pipeline, preview, testPattern, type PipelineRun } from '../src/index.js';
import { MjpegClient } from './helpers/mjpeg-client.js';
import { readCounter } from './helpers/read-counter.js';
import { childProcessCount, openFdCount, waitFor } from './helpers/resources.js';

const CHROMIUM = '/usr/bin/chromium';
const dir = mkdtempSync(join(tmpdir(), 'geyser-preview-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts an endless 30 fps test pattern through a preview; resolves with the run and the page URL. */
async function startPreview(width: number, height: number): Promise<{ run: PipelineRun; url: string; hashes: ReturnType<typeof hashSink> }> {
  let resolveUrl!: (url: string) => void;
  const listening = new Promise<string>((resolve) => (resolveUrl = resolve));
  const hashes = hashSink();
  const run = pipeline(testPattern({ width, height, fps: 30 }), preview({ name: 'cam0', maxFps: 15, onListen: resolveUrl }), hashes, { backend: 'host' });
  return { run, url: await listening, hashes };
}

/** Takes a screenshot of `url` with headless Chromium (Debian's package) and decodes it. */
async function screenshot(url: string, name: string, width: number, height: number): Promise<{ data: Uint8Array; width: number; height: number }> {
  const path = join(dir, `${name}.png`);
  await promisify(execFile)(
    CHROMIUM,
    [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--hide-scrollbars', `--user-data-dir=${join(dir, `profile-${name}`)}`,
      `--window-size=${width},${height}`, `--screenshot=${path}`, url,
    ],
    { timeout: 60_000 },
  );
  return decodePng(readFileSync(path), path);
}

describe('preview', () => {
  it('streams the frames of its edge as MJPEG, and passes every frame through unchanged', async () => {
    const { run, url, hashes } = await startPreview(320, 180);
    const viewer = await MjpegClient.open(new URL('/stream.mjpg', url).href);
    await waitFor(() => viewer.parts.length >= 3, 20_000, 'three JPEG frames');
    viewer.close();
    const counters = viewer.parts.slice(0, 3).map((part) => {
      const image = jpeg.decode(part, { useTArray: true, formatAsRGBA: true });
      expect([image.width, image.height]).toEqual([320, 180]);
      return readCounter(image.data, 320, 180);
    });
    // Each JPEG shows a later frame than the one before it.
    const seqs = counters.map((text) => Number(text.slice(1)));
    expect(counters.every((text) => /^#\d+$/.test(text))).toBe(true);
    expect(seqs[1]).toBeGreaterThan(seqs[0]!);
    expect(seqs[2]).toBeGreaterThan(seqs[1]!);
    await run.stop();
    await run.done;
    expect(hashes.results.length).toBeGreaterThan(seqs[2]!);
    expect(hashes.results.every((h, i) => h.seq === i && h.stampSeq === i && h.ok)).toBe(true);
  });

  // Chromium comes from Debian's `chromium` package (apt-get install -y chromium); without it this
  // test cannot run a real browser, so it is skipped rather than faked.
  it.skipIf(!existsSync(CHROMIUM))('shows live, changing frames in a real headless browser', async () => {
    const fds = openFdCount();
    const children = childProcessCount();
    const { run, url } = await startPreview(640, 360);
    const first = await screenshot(url, 'first', 800, 420);
    const second = await screenshot(url, 'second', 800, 420);
    // The page puts the stream at (0, 0) at 1:1, so the frame's counter sits where the pattern drew it.
    const counters = [first, second].map((shot) => readCounter(shot.data, 640, 360, shot.width * 4));
    expect(counters[0]).toMatch(/^#\d+$/);
    expect(counters[1]).toMatch(/^#\d+$/);
    expect(Number(counters[1]!.slice(1))).toBeGreaterThan(Number(counters[0]!.slice(1)));
    await run.stop();
    await run.done;
    expect(childProcessCount()).toBe(children);
    await waitFor(() => openFdCount() === fds, 5000, 'the server and its sockets to close');
  });

  it('serves nothing and encodes nothing once the pipeline ends', async () => {
    const { run, url } = await startPreview(64, 36);
    expect((await fetch(url)).status).toBe(200);
    await run.stop();
    await run.done;
    await expect(fetch(url)).rejects.toThrow();
  });

  it('fails the pipeline when its port is taken, naming the address', async () => {
    const { run, url } = await startPreview(64, 36);
    const port = Number(new URL(url).port);
    const second = pipeline(testPattern({ width: 8, height: 8, fps: 10 }), preview({ port }), { backend: 'host' });
    await expect(second.done).rejects.toThrow(`preview cannot listen on 127.0.0.1:${port}`);
    await run.stop();
  });

  it.each([
    [{ port: 70000 }, 'Expected integer between 0 and 65535 for preview.port but received 70000 of type number'],
    [{ maxFps: 0 }, 'Expected integer between 1 and 60 for preview.maxFps but received 0 of type number'],
    [{ quality: 101 }, 'Expected integer between 1 and 100 for preview.quality but received 101 of type number'],
  ])('rejects bad options (%o)', (options, message) => {
    expect(() => preview(options)).toThrow(new GeyserError('InvalidDescriptor', message));
  });
});
