import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GeyserError, locateFfmpeg, probeVideo } from '../src/index.js';
import { probeVideoWithFfmpeg } from '../src/nodes/ffmpeg/probe-with-ffmpeg.js';

const ffmpeg = locateFfmpeg().path;
let dir: string;

/** Makes a short clip with ffmpeg's own test source. */
function clip(name: string, args: string[]): string {
  const path = join(dir, name);
  execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=96x54:rate=25:duration=1.2', ...args, path]);
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'geyser-probe-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('probeVideo without ffprobe (ffmpeg decodes and reports)', () => {
  it.each([
    ['h264 in MP4', 'a.mp4', ['-c:v', 'libx264', '-pix_fmt', 'yuv420p']],
    ['ffv1 4:4:4 in Matroska', 'b.mkv', ['-c:v', 'ffv1', '-pix_fmt', 'yuv444p']],
    ['MJPEG in AVI', 'c.avi', ['-c:v', 'mjpeg', '-pix_fmt', 'yuvj422p']],
  ])('reports what ffprobe reports for %s', async (_, name, args) => {
    const path = clip(name, args);
    const fallback = await probeVideoWithFfmpeg(ffmpeg, path);
    const { durationSec, ...exact } = await probeVideo(path);
    expect(fallback).toMatchObject(exact);
    expect(exact.frames).toBe(30);
    // ffmpeg's log gives the duration to 10 ms.
    expect(Math.abs(fallback.durationSec - durationSec)).toBeLessThanOrEqual(0.01);
  });

  it('fails with FfmpegFailed naming the file when there is no video stream or no file', async () => {
    const audio = join(dir, 'tone.wav');
    execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=duration=0.2', audio]);
    await expect(probeVideoWithFfmpeg(ffmpeg, audio)).rejects.toThrow(new GeyserError('FfmpegFailed', `ffmpeg found no video stream in '${audio}'`));
    const missing = join(dir, 'missing.mp4');
    await expect(probeVideoWithFfmpeg(ffmpeg, missing)).rejects.toThrow(`ffmpeg could not read '${missing}': `);
    const garbage = join(dir, 'garbage.mp4');
    writeFileSync(garbage, 'not a video');
    await expect(probeVideoWithFfmpeg(ffmpeg, garbage)).rejects.toThrow(`ffmpeg could not read '${garbage}': `);
  });

  it('is what probeVideo uses when only ffmpeg can be found', () => {
    const path = clip('d.mp4', ['-c:v', 'libx264', '-pix_fmt', 'yuv420p']);
    // An ffmpeg with no ffprobe beside it, and a PATH without one.
    const lonely = mkdtempSync(join(dir, 'bin-'));
    symlinkSync(ffmpeg, join(lonely, 'ffmpeg'));
    const script = `import('${join(process.cwd(), 'dist/index.js')}').then(async (g) => {
      let ffprobe = 'none';
      try { ffprobe = g.locateFfprobe().path; } catch {}
      const probe = await g.probeVideo(${JSON.stringify(path)});
      console.log(JSON.stringify({ ffprobe, probe }));
    });`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: lonely, FFMPEG_PATH: join(lonely, 'ffmpeg'), HOME: dir },
      encoding: 'utf8',
    });
    const { ffprobe, probe } = JSON.parse(out) as { ffprobe: string; probe: { codec: string; frames: number; width: number } };
    // Where the optional @ffprobe-installer binary is installed it is found, and the fallback is not needed.
    if (ffprobe === 'none') expect(probe).toMatchObject({ codec: 'h264', frames: 30, width: 96 });
    else expect(probe.frames).toBe(30);
  });
});
