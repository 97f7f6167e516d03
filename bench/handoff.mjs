#!/usr/bin/env node
// Per-frame handoff between two processes over a ShareChannel, against the floor (a bare 64-byte
// ping-pong over a Node `net` Unix socket) and against what Node users do today (send the frame's
// bytes to the child over a pipe or child_process IPC), all measured in this one run.
//
//   node bench/handoff.mjs [--rounds 5000] [--frame-rounds 30] [--json]
//
// The handoff follows DESIGN.md's fast path: each pool slot's handle crosses once at setup
// (`setupSlots`), then per frame only {slot, seq, pts, acquire} goes down and {slot, release}
// comes back. The slots are plain file fds today; once the host backend is in main, make
// `setupSlots` export real shared host textures and nothing else changes.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShareChannel, releaseReceivedHandles } from '../dist/index.js';
import { trackHandle } from '../dist/core/handles.js';

const SELF = fileURLToPath(import.meta.url);
const FRAMES = [
  ['720p', 1280, 720],
  ['1080p', 1920, 1080],
  ['2160p', 3840, 2160],
];
const SLOTS = 3;

// ---------- child side ----------

async function childHandoff() {
  const channel = ShareChannel.fromFd(3);
  const { handles } = await channel.receive(); // the pool's slots, once
  await channel.send({ slots: handles.length });
  for (;;) {
    let frame;
    try {
      frame = (await channel.receive()).message;
    } catch {
      break;
    }
    await channel.send({ slot: frame.slot, release: frame.acquire });
  }
  releaseReceivedHandles(handles);
}

function childNetEcho(path) {
  const socket = connect(path);
  socket.setNoDelay?.(true);
  socket.on('data', (chunk) => socket.write(chunk));
}

function childPipe(frameBytes) {
  let got = 0;
  process.stdin.on('data', (chunk) => {
    got += chunk.length;
    while (got >= frameBytes) {
      got -= frameBytes;
      process.stdout.write('k');
    }
  });
}

function childIpc() {
  process.on('message', (frame) => process.send(frame.byteLength));
}

// ---------- parent side ----------

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(rounds, warmup, once) {
  for (let i = 0; i < warmup; i++) await once(i);
  const samples = new Float64Array(rounds);
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    await once(i);
    samples[i] = Number(process.hrtime.bigint() - start) / 1000;
  }
  samples.sort();
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), rounds };
}

function spawnChild(mode, args, options) {
  return spawn(process.execPath, [SELF, '--child', mode, ...args], options);
}

/** A bare 64-byte ping-pong over a Node `net` Unix socket: the floor of any round trip. */
async function openNet(dir) {
  const path = join(dir, 'net.sock');
  const server = createServer();
  await new Promise((resolve) => server.listen(path, resolve));
  const accepted = new Promise((resolve) => server.once('connection', resolve));
  const child = spawnChild('net', [path], { stdio: 'inherit' });
  const socket = await accepted;
  socket.setNoDelay?.(true);
  const ping = Buffer.alloc(64, 7);
  let pending = 0;
  let wake;
  socket.on('data', (chunk) => {
    pending -= chunk.length;
    if (pending <= 0 && wake) wake();
  });
  return {
    roundTrip: () => new Promise((resolve) => {
      pending = 64;
      wake = resolve;
      socket.write(ping);
    }),
    close: async () => {
      socket.destroy();
      server.close();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** The pool's slots cross once; today plain file fds, later real host textures. */
function setupSlots(dir) {
  return Array.from({ length: SLOTS }, (_, slot) => {
    const path = join(dir, `slot${slot}`);
    writeFileSync(path, Buffer.alloc(4096));
    return trackHandle({ backend: 'host', kind: 'texture', rawHandle: openSync(path, 'r+'), handleType: 'memfd', size: 4096, width: 32, height: 32, format: 'rgba8unorm' });
  });
}

/** The frame handoff: slots cross once, then {slot, seq, pts, acquire} down, {slot, release} back. */
async function openHandoff(dir) {
  const [channel, forChild] = ShareChannel.pair();
  const child = spawnChild('handoff', [], { stdio: ['ignore', 'inherit', 'inherit', forChild.fd] });
  forChild.close();
  const slots = setupSlots(dir);
  await channel.send({ pool: { slots: SLOTS, width: 32, height: 32, format: 'rgba8unorm' } }, slots);
  await channel.receive();
  let seq = 0;
  return {
    roundTrip: async () => {
      const slot = seq % SLOTS;
      const acquire = ++seq;
      await channel.send({ slot, seq, pts: seq * 16_667, acquire });
      const { message } = await channel.receive();
      if (message.slot !== slot || message.release !== acquire) throw new Error(`out of order: ${JSON.stringify(message)}`);
    },
    close: async () => {
      channel.close();
      releaseReceivedHandles(slots);
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/**
 * Times the contenders round-robin, one round each in turn, so both see the same machine load
 * (this matters on a shared VM, where load swings between seconds).
 */
async function measureInterleaved(rounds, warmup, contenders) {
  const samples = contenders.map(() => new Float64Array(rounds));
  for (let i = 0; i < warmup; i++) for (const contender of contenders) await contender.roundTrip();
  for (let i = 0; i < rounds; i++) {
    for (const [k, contender] of contenders.entries()) {
      const start = process.hrtime.bigint();
      await contender.roundTrip();
      samples[k][i] = Number(process.hrtime.bigint() - start) / 1000;
    }
  }
  return samples.map((list) => {
    list.sort();
    return { p50: percentile(list, 50), p99: percentile(list, 99), rounds };
  });
}

async function benchPipe(rounds, bytes) {
  const child = spawnChild('pipe', [String(bytes)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const frame = Buffer.alloc(bytes, 1);
  let wake;
  child.stdout.on('data', (chunk) => {
    for (let i = 0; i < chunk.length; i++) wake?.();
  });
  const result = await measure(rounds, 3, () => new Promise((resolve) => {
    wake = resolve;
    child.stdin.write(frame);
  }));
  child.stdin.end();
  child.kill();
  await new Promise((resolve) => child.once('exit', resolve));
  return result;
}

async function benchIpc(rounds, bytes) {
  const child = spawnChild('ipc', [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  const frame = Buffer.alloc(bytes, 1);
  let wake;
  child.on('message', () => wake?.());
  const result = await measure(rounds, 3, () => new Promise((resolve) => {
    wake = resolve;
    child.send(frame);
  }));
  child.kill();
  await new Promise((resolve) => child.once('exit', resolve));
  return result;
}

function flag(name, fallback) {
  const index = process.argv.indexOf(name);
  return index < 0 ? fallback : Number(process.argv[index + 1]);
}

async function main() {
  const rounds = flag('--rounds', 5000);
  const frameRounds = flag('--frame-rounds', 30);
  const json = process.argv.includes('--json');
  const dir = mkdtempSync(join(tmpdir(), 'geyser-bench-'));
  try {
    const contenders = [await openNet(dir), await openHandoff(dir)];
    const [net, handoff] = await measureInterleaved(rounds, 500, contenders);
    for (const contender of contenders) await contender.close();
    const raw = [];
    for (const [name, width, height] of FRAMES) {
      const bytes = width * height * 4;
      raw.push({ name, bytes, pipe: await benchPipe(frameRounds, bytes), ipc: await benchIpc(frameRounds, bytes) });
    }
    const report = {
      machine: `${cpus().length}x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
      unit: 'microseconds per round trip',
      netPingPong64B: net,
      handoff,
      handoffVsNetP50: handoff.p50 / net.p50,
      rawFrames: raw.map((r) => ({ ...r, handoffSpeedupVsPipeP50: r.pipe.p50 / handoff.p50, handoffSpeedupVsIpcP50: r.ipc.p50 / handoff.p50 })),
    };
    if (json) {
      console.log(JSON.stringify(report, null, 2));
      return;
    }
    const us = (v) => `${v.toFixed(1)} us`;
    console.log(`handoff bench on ${report.machine}`);
    console.log(`  net 64 B ping-pong (floor)   p50 ${us(net.p50)}  p99 ${us(net.p99)}  (${rounds} rounds, interleaved with the handoff)`);
    console.log(`  ShareChannel frame handoff   p50 ${us(handoff.p50)}  p99 ${us(handoff.p99)}  = ${report.handoffVsNetP50.toFixed(2)}x the floor (goal <= 1.5x)`);
    for (const r of report.rawFrames) {
      console.log(
        `  raw ${r.name.padEnd(5)} ${(r.bytes / 1e6).toFixed(1).padStart(5)} MB   pipe p50 ${us(r.pipe.p50)} (${r.handoffSpeedupVsPipeP50.toFixed(0)}x handoff)` +
          `   ipc p50 ${us(r.ipc.p50)} (${r.handoffSpeedupVsIpcP50.toFixed(0)}x handoff)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const childMode = process.argv.indexOf('--child');
if (childMode >= 0) {
  const mode = process.argv[childMode + 1];
  const arg = process.argv[childMode + 2];
  if (mode === 'handoff') await childHandoff();
  else if (mode === 'net') childNetEcho(arg);
  else if (mode === 'pipe') childPipe(Number(arg));
  else if (mode === 'ipc') childIpc();
} else {
  await main();
}
