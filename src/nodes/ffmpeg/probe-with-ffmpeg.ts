/**
 * The probe without ffprobe: ffmpeg decodes the first video stream to nowhere and its log says
 * what the stream is, while `-progress` counts the frames. ffmpeg-static ships no ffprobe, so a
 * machine with only that package still gets `probeVideo`.
 *
 * @internal
 * @module
 */
import { execFile } from 'node:child_process';
import { GeyserError } from '../../core/errors.js';
import { stderrTail } from './backend.js';
import type { VideoProbe } from './probe.js';

/** `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'out.mp4':` */
const INPUT = /^Input #0, (.+), from '/m;
/** `  Duration: 00:00:04.00, start: ...` */
const DURATION = /Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/;
/** `Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709, progressive), 640x360 [SAR 1:1 DAR 16:9], ...` */
const VIDEO = /Stream #0:\d+.*?: Video: (\w+)[^,]*, (\w+)[^,]*(?:\([^)]*\))?, (\d+)x(\d+)/;

/**
 * Probes the first video stream of `path` with ffmpeg itself (decoding every frame to count them),
 * giving what {@link probeVideo} gives from ffprobe.
 *
 * @internal
 * @param ffmpeg - the ffmpeg executable
 * @param path - a video file
 * @throws {@link GeyserError} `FfmpegFailed` when ffmpeg cannot read the file (quoting it) or finds no video stream
 */
export async function probeVideoWithFfmpeg(ffmpeg: string, path: string): Promise<VideoProbe> {
  const args = ['-hide_banner', '-nostdin', '-nostats', '-i', path, '-map', '0:v:0', '-f', 'null', '-progress', 'pipe:1', '-'];
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    execFile(ffmpeg, args, { maxBuffer: 16 << 20 }, (error, out, err) => {
      if (error && /matches no streams/.test(String(err))) {
        reject(new GeyserError('FfmpegFailed', `ffmpeg found no video stream in '${path}'`));
      } else if (error) {
        const tail = stderrTail(String(err));
        reject(new GeyserError('FfmpegFailed', `ffmpeg could not read '${path}': ${tail.join(' | ') || error.message}`, { cause: error }));
      } else resolve({ stdout: String(out), stderr: String(err) });
    });
  });
  const video = VIDEO.exec(stderr);
  if (!video) throw new GeyserError('FfmpegFailed', `ffmpeg found no video stream in '${path}'`);
  const frameCounts = [...stdout.matchAll(/^frame=(\d+)$/gm)];
  const duration = DURATION.exec(stderr);
  return {
    codec: video[1]!,
    width: Number(video[3]),
    height: Number(video[4]),
    pixelFormat: video[2]!,
    frames: frameCounts.length > 0 ? Number(frameCounts.at(-1)![1]) : 0,
    container: INPUT.exec(stderr)?.[1] ?? 'unknown',
    durationSec: duration ? Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]) : Number.NaN,
  };
}
