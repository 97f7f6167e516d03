/**
 * `probeVideo`: what ffprobe says a video file holds, counting its frames by decoding them.
 *
 * @module
 */
import { execFile } from 'node:child_process';
import { GeyserError } from '../../core/errors.js';
import { invalid } from '../../core/validate.js';
import { stderrTail } from './backend.js';
import { locateFfmpeg, locateFfprobe } from './locate.js';
import { probeVideoWithFfmpeg } from './probe-with-ffmpeg.js';

/** The first video stream of a file, as ffprobe reports it. */
export interface VideoProbe {
  /** Codec name, e.g. `'h264'`. */
  readonly codec: string;
  readonly width: number;
  readonly height: number;
  /** Pixel format, e.g. `'yuv420p'`. */
  readonly pixelFormat: string;
  /** Frames counted by decoding the whole stream (exact, not the header's estimate). */
  readonly frames: number;
  /** Container format names, e.g. `'mov,mp4,m4a,3gp,3g2,mj2'`. */
  readonly container: string;
  /** Duration in seconds (NaN if ffprobe gives none). */
  readonly durationSec: number;
}

interface ProbeJson {
  streams?: Array<{ codec_name?: string; width?: number; height?: number; pix_fmt?: string; nb_read_frames?: string }>;
  format?: { format_name?: string; duration?: string };
}

/**
 * Probes the first video stream of `path` with ffprobe. Where there is no ffprobe (ffmpeg-static
 * ships none) but ffmpeg is found, ffmpeg itself decodes the stream and reports the same fields.
 *
 * @example
 * ```ts
 * import { probeVideo } from 'geyser';
 * const { codec, width, height, frames } = await probeVideo('out.mp4');
 * console.log(codec, `${width}x${height}`, frames); // h264 640x360 120
 * ```
 * @param path - a video file
 * @returns codec, size, pixel format, exact frame count, container and duration
 * @throws {@link GeyserError} `FfmpegNotFound` without ffprobe or ffmpeg (naming every place tried
 *   for ffprobe); `FfmpegFailed` when ffprobe cannot
 *   read the file (quoting its stderr) or it has no video stream
 */
export async function probeVideo(path: string): Promise<VideoProbe> {
  if (typeof path !== 'string' || path === '') invalid('non-empty string', 'path', path);
  let ffprobe: string;
  try {
    ffprobe = locateFfprobe().path;
  } catch (missing) {
    const ffmpeg = findFfmpeg();
    if (ffmpeg === undefined) throw missing;
    return probeVideoWithFfmpeg(ffmpeg, path);
  }
  const args = ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height,pix_fmt,nb_read_frames:format=format_name,duration', '-of', 'json', path];
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(ffprobe, args, { maxBuffer: 1 << 20 }, (error, out, err) => {
      if (error) {
        const tail = stderrTail(String(err));
        reject(new GeyserError('FfmpegFailed', `ffprobe could not read '${path}': ${tail.join(' | ') || error.message}`, { cause: error }));
      } else resolve(String(out));
    });
  });
  const json = JSON.parse(stdout) as ProbeJson;
  const stream = json.streams?.[0];
  if (!stream) throw new GeyserError('FfmpegFailed', `ffprobe found no video stream in '${path}'`);
  return {
    codec: stream.codec_name ?? 'unknown',
    width: stream.width ?? 0,
    height: stream.height ?? 0,
    pixelFormat: stream.pix_fmt ?? 'unknown',
    frames: Number(stream.nb_read_frames ?? 0),
    container: json.format?.format_name ?? 'unknown',
    durationSec: Number(json.format?.duration ?? Number.NaN),
  };
}

/** ffmpeg's path, or undefined where it cannot be found either. */
function findFfmpeg(): string | undefined {
  try {
    return locateFfmpeg().path;
  } catch {
    return undefined;
  }
}
