// `geyser demo` as a user runs it: the real CLI in its own process, default backend, output checked
// with ffprobe, and the OS processes it spread over observed while it ran.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../src/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'geyser-demo-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const CLI = resolve('dist/cli/main.js');

/** Live children of `pid` (every thread's children list). */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Runs the CLI; meanwhile samples which Node children (pipeline stages) it has. */
async function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; nodeChildren: Set<number>; ffmpegChildren: Set<number> }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const nodeChildren = new Set<number>();
  const ffmpegChildren = new Set<number>();
  const sampler = setInterval(() => {
    for (const pid of childrenOf(child.pid!)) {
      if (cmdline(pid).startsWith(process.execPath)) nodeChildren.add(pid);
      // the encoding ffmpeg runs under the encoder stage's process, a grandchild of the CLI (not
      // counting fluent-ffmpeg's short capability probes)
      for (const grandchild of childrenOf(pid)) if (/ffmpeg.* libx264/.test(cmdline(grandchild))) ffmpegChildren.add(grandchild);
    }
  }, 20);
  const code = await new Promise<number | null>((done) => child.once('close', done));
  clearInterval(sampler);
  return { code, stdout, stderr, nodeChildren, ffmpegChildren };
}

describe('geyser demo', () => {
  it('writes an MP4 whose ffprobe frame count, size and codec match, from at least three processes', async () => {
    const output = join(scratch, 'out.mp4');
    const run = await runCli(['demo', '--frames', '120', '--size', '640x360', '--out', output, '--json']);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code, run.stderr).toBe(0);
    const probe = await probeVideo(output);
    expect(probe).toMatchObject({ codec: 'h264', width: 640, height: 360, frames: 120, pixelFormat: 'yuv420p' });

    // Three stages, each seen running in its own child process, ffmpeg under the encoder's.
    expect(run.nodeChildren.size).toBeGreaterThanOrEqual(3);
    expect(run.ffmpegChildren.size).toBe(1);

    const summary = JSON.parse(run.stdout) as { frames: number; processes: number; output: string; backend: string; nodes: Array<{ name: string; process: string }>; edges: Array<{ from: string; to: string; primitive: string }> };
    expect(summary.frames).toBe(120);
    expect(summary.output).toBe(output);
    expect(summary.processes).toBeGreaterThanOrEqual(4);
    expect(summary.nodes.map((n) => n.name)).toEqual(['testPattern', 'grayscale', 'encode']);
    expect(new Set(summary.nodes.map((n) => n.process)).size).toBe(3);
    expect(summary.edges.map((e) => `${e.from}->${e.to}`)).toEqual(['testPattern->grayscale', 'grayscale->encode']);
    const expected = summary.backend === 'host' ? 'message-order' : /^(timeline-semaphore|fence-wait)$/;
    for (const edge of summary.edges) expect(edge.primitive).toMatch(expected);
  });

  it('prints a closing summary naming frames, fps, backend, each edge\'s sync and the output', async () => {
    const output = join(scratch, 'summary.mp4');
    const run = await runCli(['demo', '--frames', '12', '--size', '128x72', '--backend', 'host', '--processes', '1', '--out', output]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`wrote ${output}`);
    expect(lines[1]).toMatch(/^ {2}12 frames 128x72 in \d+\.\d\d s \(\d+\.\d\d s startup\), \d+\.\d fps running$/);
    expect(lines[2]).toBe('  backend host (host shared memory (memfd)), 1 processes');
    expect(lines).toContain('  edge testPattern -> grayscale: none, same process and queue');
    expect(lines.at(-1)).toMatch(/^ {2}ffprobe: h264 128x72 yuv420p, 12 frames, 0\.\d\d s$/);
    expect((await probeVideo(output)).frames).toBe(12);
  });

  it.each([
    [['--frames', '10'], '--out file.mp4 is required'],
    [['--size', '641x360', '--out', 'x.mp4'], "Expected WxH with even numbers from 2 to 16384 for --size but received '641x360'"],
    [['--frames', '0', '--out', 'x.mp4'], "Expected integer between 1 and 1000000 for --frames but received '0'"],
    [['--processes', '4', '--out', 'x.mp4'], "Expected integer between 1 and 3 for --processes but received '4'"],
    [['--backend', 'cuda', '--out', 'x.mp4'], "Expected one of auto, host, vulkan, metal for --backend but received 'cuda'"],
    [['--framez', '3', '--out', 'x.mp4'], "Unknown option '--framez'"],
  ])('refuses %j with a message naming the flag', async (args, message) => {
    const run = await runCli(['demo', ...args]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`geyser: InvalidDescriptor: ${message}`);
  });
});
