// Each example runs as a user runs it (node on the file, importing 'geyser' by package name), checks
// its own output and exits 0; the output is probed again here.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../src/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'geyser-examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function runExample(name: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [`examples/${name}/main.mjs`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const code = await new Promise<number | null>((done) => child.once('close', done));
  return { code, stdout, stderr };
}

describe('examples', () => {
  it('capture-to-encode: testsrc2 -> downscale -> timestamp -> H.264 MP4 of the right size and length', async () => {
    const out = join(scratch, 'capture.mp4');
    const run = await runExample('capture-to-encode', ['--frames', '24', '--capture', '640x360', '--size', '320x180', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${out}: h264 320x180 yuv420p, 24 frames\nOK\n`);
    expect(await probeVideo(out)).toMatchObject({ codec: 'h264', width: 320, height: 180, frames: 24 });
  });

  it('render-farm: three worker processes render the tiles, the compositor assembles and encodes', async () => {
    const out = join(scratch, 'farm.mp4');
    const run = await runExample('render-farm', ['--workers', '3', '--frames', '12', '--size', '240x136', '--backend', 'host', '--out', out]);
    expect(run.code).toBe(0);
    const pids = /^3 workers \(pids (\d+), (\d+), (\d+)\) rendered 12 frames/m.exec(run.stdout);
    expect(pids).not.toBeNull();
    expect(new Set(pids!.slice(1)).size).toBe(3);
    expect(pids!.slice(1)).not.toContain(String(process.pid));
    expect(run.stdout).toMatch(/\nOK\n$/);
    expect(await probeVideo(out)).toMatchObject({ codec: 'h264', width: 240, height: 136, frames: 12 });
  });

  it('pooled-frame-loop: allocates no texture after warm-up and prints the pool statistics', async () => {
    const out = join(scratch, 'loop.mp4');
    const run = await runExample('pooled-frame-loop', ['--frames', '90', '--warmup', '20', '--size', '320x180', '--pool', '3', '--backend', 'host', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('after warm-up (20 frames):');
    expect(run.stdout).toMatch(/│ 'testPattern' │ 3 +│ \d +│ 3 +│ 20 +│/);
    expect(run.stdout).toContain('textures allocated after warm-up: 0\n');
    expect(run.stdout).toMatch(/\nOK\n$/);
    expect((await probeVideo(out)).frames).toBe(90);
  });
});
