/**
 * The default {@link EncoderBackend}, on fluent-ffmpeg.
 *
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import { stderrTail, type EncoderBackend, type EncoderExit, type EncoderJob, type EncoderProgress, type RunningEncoder } from './backend.js';

/** ffmpeg's arguments for the raw input side of `job`. */
function inputOptions(job: EncoderJob): string[] {
  return [
    '-hide_banner',
    // ffmpeg reads keys from stdin unless told not to; with frames on stdin it must not be.
    ...(job.input.url === 'pipe:0' ? [] : ['-nostdin']),
    `-pix_fmt ${job.inputPixelFormat}`,
    `-video_size ${job.width}x${job.height}`,
    `-framerate ${job.fps}`,
  ];
}

/** ffmpeg's arguments for the encoded output side of `job`. */
function outputOptions(job: EncoderJob): string[] {
  return [
    ...(job.preset === undefined ? [] : [`-preset ${job.preset}`]),
    ...(job.crf === undefined ? [] : [`-crf ${job.crf}`]),
    ...(job.bitrate === undefined ? [] : [`-b:v ${job.bitrate}`]),
    `-pix_fmt ${job.pixelFormat}`,
    // Tag the stream so players convert back with the matrix the frames were converted with.
    ...(job.colorMatrix === 'bt709'
      ? ['-colorspace bt709', '-color_primaries bt709', '-color_trc bt709', '-color_range tv']
      : ['-colorspace smpte170m', '-color_primaries smpte170m', '-color_trc smpte170m', '-color_range tv']),
    ...(job.container === undefined ? [] : [`-f ${job.container}`]),
  ];
}

function start(job: EncoderJob): RunningEncoder {
  // stdoutLines bounds both of fluent-ffmpeg's line rings (stdout and stderr; 0 would mean
  // unbounded): enough to quote ffmpeg's last stderr lines when it fails.
  const command = ffmpeg({ stdoutLines: 200 });
  command.setFfmpegPath(job.ffmpegPath);
  command.input(job.input.url).inputFormat('rawvideo').inputOptions(inputOptions(job));
  command.videoCodec(job.codec).noAudio().outputOptions(outputOptions(job)).output(job.output);

  let child: ChildProcess | undefined;
  let exitStatus: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let resolveSpawned!: (spawned: { pid: number; stdin: Writable | null }) => void;
  let rejectSpawned!: (error: Error) => void;
  const spawned = new Promise<{ pid: number; stdin: Writable | null }>((ok, fail) => {
    resolveSpawned = ok;
    rejectSpawned = fail;
  });
  spawned.catch(() => {});

  const exited = new Promise<EncoderExit>((resolveExit) => {
    // fluent-ffmpeg reports the exit only as an error message; read code and signal from the
    // process itself so callers get them exactly.
    command.on('start', () => {
      child = (command as unknown as { ffmpegProc?: ChildProcess }).ffmpegProc;
      child?.once('exit', (code, signal) => {
        exitStatus = { code, signal };
      });
      if (child?.pid !== undefined) resolveSpawned({ pid: child.pid, stdin: child.stdin });
    });
    command.on('end', (_stdout: string | null, stderr: string | null) => {
      resolveExit({ code: exitStatus?.code ?? 0, signal: exitStatus?.signal ?? null, stderrTail: stderrTail(stderr ?? ''), startError: undefined });
    });
    command.on('error', (error: Error, _stdout: string | null, stderr: string | null) => {
      const tail = stderrTail(stderr ?? '');
      if (child === undefined) {
        // Failed before spawning: the capability check (codec or format missing) or spawn itself.
        rejectSpawned(error);
        resolveExit({ code: null, signal: null, stderrTail: tail, startError: error });
        return;
      }
      const status = exitStatus ?? parseExit(error.message);
      resolveExit({ code: status.code, signal: status.signal, stderrTail: tail, startError: undefined });
    });
  });

  // Progress comes from ffmpeg's stderr lines. Not fluent-ffmpeg's own 'progress' event: listening
  // to it makes fluent-ffmpeg run ffprobe on the input first, which would read (and steal) the
  // frames socket or stdin.
  const listeners = new Set<(progress: EncoderProgress) => void>();
  command.on('stderr', (line: string) => {
    const progress = parseProgress(line);
    if (progress) for (const listener of listeners) listener(progress);
  });

  command.run();
  return {
    spawned,
    exited,
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/** Parses one of ffmpeg's `frame=  120 fps= 60 q=-1.0 size= 512kB time=00:00:04.00 bitrate=...` lines. @internal */
export function parseProgress(line: string): EncoderProgress | undefined {
  const frames = /frame=\s*(\d+)/.exec(line)?.[1];
  if (frames === undefined) return undefined;
  const fps = Number(/fps=\s*([\d.]+)/.exec(line)?.[1] ?? 0);
  const kbps = Number(/bitrate=\s*([\d.]+)kbits\/s/.exec(line)?.[1] ?? 0);
  return { frames: Number(frames), fps, kbps, timemark: /time=\s*(\S+)/.exec(line)?.[1] ?? '00:00:00.00' };
}

/** Reads code and signal back out of fluent-ffmpeg's message, for when the exit event was missed. */
function parseExit(message: string): { code: number | null; signal: NodeJS.Signals | null } {
  const signal = /killed with signal (SIG[A-Z0-9]+)/.exec(message)?.[1];
  if (signal) return { code: null, signal: signal as NodeJS.Signals };
  const code = /exited with code (-?\d+)/.exec(message)?.[1];
  return { code: code === undefined ? null : Number(code), signal: null };
}

/**
 * The default encoder backend: ffmpeg driven by fluent-ffmpeg, which checks that the codec and
 * formats exist in this ffmpeg build before it starts and parses progress from stderr.
 *
 * @example
 * ```ts
 * import { encode, fluentFfmpegBackend } from 'geyser';
 * encode({ output: 'out.mp4', fps: 30, backend: fluentFfmpegBackend });
 * ```
 */
export const fluentFfmpegBackend: EncoderBackend = { name: 'fluent-ffmpeg', start };
