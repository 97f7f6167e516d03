#!/usr/bin/env node
// Per-frame handoff between two processes over a ShareChannel, against the floor (a bare 64-byte
// ping-pong over a Node `net` Unix socket) and against what Node users do today (send the frame's
// bytes to the child over a pipe or child_process IPC), all measured in this one run.
//
//   node bench/handoff.mjs [--rounds 5000] [--frame-rounds 30] [--json]
//
// The handoff follows DESIGN.md's fast path: each pool slot is a real host-backend texture
// (sealed memfd) at 1280x720, 1920x1080 or 3840x2160 rgba8unorm, exported once and imported once
// by the child (`openHandoff`); then per frame the producer writes the frame's seq into the slot's
// first texel, only {slot, seq, pts, acquire} goes down, the child reads that texel through its
// mapTexture view (checking it), and {slot, release} comes back.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTextureShareManager, ShareChannel } from '../dist/index.js';

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
  const manager = await createTextureShareManager({ backend: 'host' });
  const { message, handles } = await channel.receive(); // the pool's slots, once
  const { width, height, format } = message.pool;
  const textures = handles.map((handle) => manager.importTexture(handle, { width, height, format, usage: ['copy-src', 'copy-dst'] }));
  // The first texel of each slot, seen through the shared mapping (no copy).
  const firstTexels = textures.map((texture) => {
    const view = manager.mapTexture(texture);
    return new Uint32Array(view.buffer, view.byteOffset, 1);
  });
  await channel.send({ slots: textures.length });
  for (;;) {
    let frame;
    try {
      frame = (await channel.receive()).message;
    } catch {
      break;
    }
    // The producer wrote seq there before sending: a wrong texel means the handoff is broken.
    const texel = firstTexels[frame.slot][0];
    await channel.send({ slot: frame.slot, release: texel === frame.seq >>> 0 ? frame.acquire : -1 });
  }
  manager.dispose();
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

/**
 * The frame handoff for one frame size: the pool's slots are host textures exported once and
 * imported once by the child; then {slot, seq, pts, acquire} goes down, {slot, release} comes back.
 */
async function openHandoff(manager, width, height) {
  const [channel, forChild] = ShareChannel.pair();
  const child = spawnChild('handoff', [], { stdio: ['ignore', 'inherit', 'inherit', forChild.fd] });
  forChild.close();
  const format = 'rgba8unorm';
  const textures = Array.from({ length: SLOTS }, (_, slot) =>
    manager.createShareableTexture({ width, height, format, usage: ['copy-src', 'copy-dst'], label: `slot${slot}@${width}x${height}` }),
  );
  const firstTexels = textures.map((texture) => {
    const view = manager.mapTexture(texture);
    return new Uint32Array(view.buffer, view.byteOffset, 1);
  });
  const handles = textures.map((texture) => manager.exportTexture(texture));
  await channel.send({ pool: { slots: SLOTS, width, height, format } }, handles);
  for (const handle of handles) manager.releaseTextureHandle(handle); // the child has its own fds now
  await channel.receive();
  let seq = 0;
  return {
    roundTrip: async () => {
      const slot = seq % SLOTS;
      const acquire = ++seq;
      firstTexels[slot][0] = seq; // "render" the frame
      await channel.send({ slot, seq, pts: seq * 16_667, acquire });
      const { message } = await channel.receive();
      if (message.slot !== slot || message.release !== acquire) throw new Error(`bad release at ${width}x${height}: ${JSON.stringify(message)}`);
    },
    close: async () => {
      channel.close();
      for (const texture of textures) texture.release();
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
  const manager = await createTextureShareManager({ backend: 'host' });
  try {
    const contenders = [await openNet(dir)];
    for (const [, width, height] of FRAMES) contenders.push(await openHandoff(manager, width, height));
    const [net, ...handoffs] = await measureInterleaved(rounds, 500, contenders);
    for (const contender of contenders) await contender.close();
    const sizes = [];
    for (const [index, [name, width, height]] of FRAMES.entries()) {
      const bytes = width * height * 4;
      const handoff = handoffs[index];
      const pipe = await benchPipe(frameRounds, bytes);
      const ipc = await benchIpc(frameRounds, bytes);
      sizes.push({
        name,
        width,
        height,
        bytes,
        handoff,
        handoffVsNetP50: handoff.p50 / net.p50,
        handoffVsNetP99: handoff.p99 / net.p99,
        pipe,
        ipc,
        pipeVsHandoffP50: pipe.p50 / handoff.p50,
        ipcVsHandoffP50: ipc.p50 / handoff.p50,
      });
    }
    const report = {
      machine: `${cpus().length}x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
      unit: 'microseconds per round trip',
      netPingPong64B: net,
      sizes,
    };
    if (json) {
      console.log(JSON.stringify(report, null, 2));
      return;
    }
    const us = (v) => `${v.toFixed(1)} us`;
    console.log(`handoff bench on ${report.machine}`);
    console.log(`  net 64 B ping-pong (floor)        p50 ${us(net.p50)}  p99 ${us(net.p99)}  (${rounds} rounds, interleaved with the handoffs)`);
    for (const r of sizes) {
      console.log(
        `  ${r.name.padEnd(5)} host-texture handoff   p50 ${us(r.handoff.p50)}  p99 ${us(r.handoff.p99)}  = ${r.handoffVsNetP50.toFixed(2)}x / ${r.handoffVsNetP99.toFixed(2)}x the floor (p50 / p99)`,
      );
    }
    for (const r of sizes) {
      console.log(
        `  ${r.name.padEnd(5)} raw ${(r.bytes / 1e6).toFixed(1).padStart(5)} MB   pipe p50 ${us(r.pipe.p50)} p99 ${us(r.pipe.p99)} (${r.pipeVsHandoffP50.toFixed(0)}x handoff)` +
          `   ipc p50 ${us(r.ipc.p50)} p99 ${us(r.ipc.p99)} (${r.ipcVsHandoffP50.toFixed(0)}x handoff)`,
      );
    }
  } finally {
    manager.dispose();
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
