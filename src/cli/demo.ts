/**
 * `geyser demo`: a real multi-process pipeline — a test pattern, a grayscale filter and the ffmpeg
 * encoder, each stage in its own process by default — that writes an MP4, shows a progress bar on
 * a terminal and closes with a summary (frames, fps, backend, the sync primitive of each edge, the
 * output as ffprobe sees it).
 *
 * @internal
 * @module
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { GeyserError } from '../core/errors.js';
import type { BackendChoice } from '../core/types.js';
import { encode } from '../nodes/encode.js';
import { probeVideo, type VideoProbe } from '../nodes/ffmpeg/probe.js';
import { inChildProcess } from '../pipeline/in-child-process.js';
import { pipeline, type PipelineStage } from '../pipeline/pipeline.js';
import type { OperatorNode, SourceNode } from '../pipeline/node.js';
import type { Frame } from '../pipeline/frame.js';
import type { PipelineDescription } from '../pipeline/graph.js';
import filterStage from './demo-stages/filter.js';
import patternStage from './demo-stages/pattern.js';
import { ProgressBar } from './progress-bar.js';

const USAGE = `Usage: geyser demo [--frames N] [--size WxH] [--fps N] [--backend auto|host|vulkan|metal]
                   [--processes 1-3] [--preset P] [--json] --out file.mp4

Runs test pattern -> grayscale -> H.264 encoder and writes the video to --out.
  --frames N       frames to render (default 300)
  --size WxH       frame size, even numbers (default 1280x720)
  --fps N          frame rate of the video (default 30)
  --backend B      texture backend (default auto: Vulkan on a GPU, else host shared memory)
  --processes N    processes the three stages run in (default 3: one each; 2: the pattern stays
                   in this process; 1: all in this process)
  --preset P       libx264 preset (default veryfast)
  --json           print the summary as JSON
`;

/** The demo's settings, validated. */
export interface DemoSettings {
  frames: number;
  width: number;
  height: number;
  fps: number;
  backend: BackendChoice;
  processes: 1 | 2 | 3;
  preset: string;
  output: string;
  json: boolean;
}

/** What the demo did. */
export interface DemoSummary {
  output: string;
  frames: number;
  width: number;
  height: number;
  /** Wall time, start to finish. */
  seconds: number;
  /** Of which: until frames reached the encoder (backend, stage processes, ffmpeg starting). */
  startupSeconds: number;
  /** Frames per second once running (startup excluded). */
  fps: number;
  backend: string;
  device: string;
  /** OS processes the pipeline ran in (this one included). */
  processes: number;
  /** The process each node ran in: a child's pid, or 'parent' for this one. */
  nodes: Array<{ name: string; process: string }>;
  /** One line per edge: from, to and the sync primitive the graph chose. */
  edges: Array<{ from: string; to: string; primitive: string; degraded: boolean; reason: string }>;
  /** The output as ffprobe reads it. */
  probe: VideoProbe;
}

function fail(message: string): never {
  throw new GeyserError('InvalidDescriptor', message);
}

function positiveInteger(text: string | undefined, fallback: number, flag: string, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > max) fail(`Expected integer between 1 and ${max} for ${flag} but received '${text}'`);
  return value;
}

/** Parses and validates the demo's command line. */
export function parseDemoArgs(args: string[]): DemoSettings {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        frames: { type: 'string' },
        size: { type: 'string' },
        fps: { type: 'string' },
        backend: { type: 'string' },
        processes: { type: 'string' },
        preset: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`);
  }
  const v = parsed.values;
  if (v.out === undefined || v.out === '') fail(`--out file.mp4 is required\n\n${USAGE}`);
  const size = v.size ?? '1280x720';
  const match = /^(\d+)x(\d+)$/.exec(size);
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (!match || width < 2 || height < 2 || width > 16384 || height > 16384 || width % 2 || height % 2) fail(`Expected WxH with even numbers from 2 to 16384 for --size but received '${size}'`);
  const backend = (v.backend ?? 'auto') as BackendChoice;
  if (!['auto', 'host', 'vulkan', 'metal'].includes(backend)) fail(`Expected one of auto, host, vulkan, metal for --backend but received '${backend}'`);
  const preset = v.preset ?? 'veryfast';
  if (!/^[a-z]+$/.test(preset)) fail(`Expected a libx264 preset name for --preset but received '${preset}'`);
  return {
    frames: positiveInteger(v.frames, 300, '--frames', 1_000_000),
    width,
    height,
    fps: positiveInteger(v.fps, 30, '--fps', 1000),
    backend,
    processes: positiveInteger(v.processes, 3, '--processes', 3) as 1 | 2 | 3,
    preset,
    output: resolve(v.out),
    json: v.json ?? false,
  };
}

/** The three stages, each in this process or a child depending on `processes`. */
function stages(s: DemoSettings): [OperatorNode<Frame, Frame> | SourceNode<Frame>, PipelineStage, PipelineStage] {
  const url = (name: string) => new URL(`./demo-stages/${name}.js`, import.meta.url);
  const patternOptions = { width: s.width, height: s.height, frames: s.frames };
  const encodeOptions = { output: s.output, fps: s.fps, preset: s.preset };
  const pattern = s.processes === 3 ? inChildProcess(url('pattern'), { name: 'testPattern', options: patternOptions }) : patternStage(patternOptions);
  const filter = s.processes >= 2 ? inChildProcess(url('filter'), { name: 'grayscale' }) : filterStage();
  const sink = s.processes >= 2 ? inChildProcess(url('encoder'), { name: 'encode', options: encodeOptions }) : encode(encodeOptions);
  return [pattern, filter, sink];
}

/**
 * Runs the demo pipeline and returns its summary.
 * @param settings - from {@link parseDemoArgs}
 * @param onProgress - called with frames produced so far, about 10 times a second
 */
export async function runDemoPipeline(settings: DemoSettings, onProgress?: (frames: number, fps: number) => void): Promise<DemoSummary> {
  const started = performance.now();
  const [pattern, filter, sink] = stages(settings);
  const run = pipeline(pattern, filter, sink, { backend: settings.backend, metricsIntervalMs: 100 });
  let description: PipelineDescription | undefined;
  // Process of each node as the metrics report it (a pid for a child), and the encoder's progress.
  const processOf = new Map<string, string>();
  let encoded = 0;
  /** When the encoder's input first showed frames: the end of startup. */
  let firstFrames: { frames: number; at: number } | undefined;
  const progress = run.metrics$.subscribe((snapshot) => {
    for (const node of snapshot.nodes) processOf.set(node.name, String(node.process));
    const sink = snapshot.nodes.find((n) => n.name === 'encode');
    if (sink && sink.framesIn > 0 && firstFrames === undefined) {
      firstFrames = { frames: sink.framesIn, at: performance.now() };
    }
    if (sink && sink.framesIn >= encoded) {
      encoded = sink.framesIn;
      onProgress?.(encoded, sink.fps);
    }
  });
  try {
    await run.ready;
    description = run.describe();
    await run.done;
  } finally {
    progress.unsubscribe();
  }
  const finishedAt = performance.now();
  const seconds = (finishedAt - started) / 1000;
  // Startup: opening the backend, spawning the stages, ffmpeg starting, the first frames through.
  const startupSeconds = ((firstFrames?.at ?? finishedAt) - started) / 1000;
  const runningFrames = probeFramesAfter(firstFrames);
  const probe = await probeVideo(settings.output);
  const nodes = description.nodes.map((n) => ({ name: n.name, process: processOf.get(n.name) ?? String(n.process) }));
  const processes = new Set(nodes.map((n) => n.process));
  processes.add('parent');
  return {
    output: settings.output,
    frames: probe.frames,
    width: settings.width,
    height: settings.height,
    seconds,
    startupSeconds,
    fps: runningFrames(probe.frames) / Math.max(seconds - startupSeconds, 1e-3),
    backend: description.backend,
    device: description.device,
    processes: processes.size,
    nodes,
    edges: description.edges.map((e) => {
      const name = (id: string) => description!.nodes.find((n) => n.id === id)?.name ?? id;
      return { from: name(e.from), to: name(e.to), primitive: e.primitive, degraded: e.degraded, reason: e.reason };
    }),
    probe,
  };
}

/** Frames encoded after startup, given the total: the total less those already in at startup. */
function probeFramesAfter(first: { frames: number } | undefined): (total: number) => number {
  return (total) => (first ? total - first.frames : total);
}

/** Formats the closing summary for a person. */
export function formatSummary(summary: DemoSummary): string {
  const lines = [
    `wrote ${summary.output}`,
    `  ${summary.frames} frames ${summary.width}x${summary.height} in ${summary.seconds.toFixed(2)} s (${summary.startupSeconds.toFixed(2)} s startup), ${summary.fps.toFixed(1)} fps running`,
    `  backend ${summary.backend} (${summary.device}), ${summary.processes} processes`,
    ...summary.nodes.map((n) => `  node ${n.name.padEnd(12)} process ${n.process}`),
    ...summary.edges.map((e) => `  edge ${e.from} -> ${e.to}: ${e.primitive}${e.degraded ? ' (degraded)' : ''}, ${e.reason}`),
    `  ffprobe: ${summary.probe.codec} ${summary.probe.width}x${summary.probe.height} ${summary.probe.pixelFormat}, ${summary.probe.frames} frames, ${summary.probe.durationSec.toFixed(2)} s`,
  ];
  return lines.join('\n') + '\n';
}

/** The `geyser demo` command. */
export async function runDemo(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const settings = parseDemoArgs(args);
  const bar = process.stderr.isTTY && !settings.json ? new ProgressBar(process.stderr, settings.frames) : undefined;
  let summary: DemoSummary;
  try {
    summary = await runDemoPipeline(settings, (frames, fps) => bar?.update(frames, fps));
  } finally {
    bar?.done();
  }
  process.stdout.write(settings.json ? JSON.stringify(summary, null, 2) + '\n' : formatSummary(summary));
  return summary.frames === settings.frames ? 0 : 1;
}
