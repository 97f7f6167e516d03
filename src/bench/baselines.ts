/**
 * The baselines, run in the same process and the same run as what they are compared with: a bare
 * 64-byte ping-pong over a `net` Unix socket (the floor of any cross-process round trip), whole
 * frames sent to a child over a pipe or child_process IPC and acknowledged (what Node users do
 * today), and raw frames streamed through a three-process chain of pipes.
 *
 * @internal
 * @module
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnPeer, exited, stopPeer } from './spawn-peer.js';

/** Something that does one round trip at a time, and is closed when done. */
export interface RoundTripper {
  roundTrip(): Promise<void>;
  close(): Promise<void>;
}

/** One pending round trip, woken by the reply. */
class Waiter {
  #wake: (() => void) | undefined;
  wait(): Promise<void> {
    return new Promise((resolve) => (this.#wake = resolve));
  }
  wake(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

/**
 * The floor: 64 bytes to a child over a `net` Unix socket and echoed back.
 *
 * @example
 * ```ts
 * const floor = await openNetPingPong();
 * await floor.roundTrip();
 * await floor.close();
 * ```
 */
export async function openNetPingPong(): Promise<RoundTripper> {
  const dir = mkdtempSync(join(tmpdir(), 'geyser-bench-net-'));
  const path = join(dir, 'ping.sock');
  const server = createServer();
  server.listen(path);
  await once(server, 'listening');
  const child = spawnPeer('baseline-peer', ['net-echo', path]);
  const [socket] = (await once(server, 'connection')) as [Socket];
  socket.setNoDelay(true);
  const ping = Buffer.alloc(64, 7);
  const waiter = new Waiter();
  let pending = 0;
  socket.on('data', (chunk: Buffer) => {
    pending -= chunk.length;
    if (pending <= 0) waiter.wake();
  });
  return {
    roundTrip: () => {
      pending = ping.length;
      const done = waiter.wait();
      socket.write(ping);
      return done;
    },
    close: async () => {
      socket.end();
      server.close();
      await exited(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A whole frame of `frameBytes` written to a child's stdin; it answers one byte per whole frame.
 *
 * @example
 * ```ts
 * const pipe = openPipeFrames(1920 * 1080 * 4);
 * await pipe.roundTrip();
 * await pipe.close();
 * ```
 */
export function openPipeFrames(frameBytes: number): RoundTripper {
  const child = spawnPeer('baseline-peer', ['pipe-ack', String(frameBytes)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const frame = Buffer.alloc(frameBytes, 1);
  const waiter = new Waiter();
  child.stdout!.on('data', (chunk: Buffer) => {
    for (let i = 0; i < chunk.length; i++) waiter.wake();
  });
  return {
    roundTrip: () => {
      const done = waiter.wait();
      child.stdin!.write(frame);
      return done;
    },
    close: async () => {
      child.stdin!.end();
      await stopPeer(child);
    },
  };
}

/**
 * A whole frame sent to a child over child_process IPC (`serialization: 'advanced'`, which
 * carries a Buffer as bytes rather than JSON); it answers with the byte length.
 *
 * @example
 * ```ts
 * const ipc = openIpcFrames(1280 * 720 * 4);
 * await ipc.roundTrip();
 * await ipc.close();
 * ```
 */
export function openIpcFrames(frameBytes: number): RoundTripper {
  const child = spawnPeer('baseline-peer', ['ipc-ack'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  const frame = Buffer.alloc(frameBytes, 1);
  const waiter = new Waiter();
  child.on('message', () => waiter.wake());
  return {
    roundTrip: () => {
      const done = waiter.wait();
      child.send(frame);
      return done;
    },
    close: async () => {
      child.disconnect();
      await exited(child);
    },
  };
}

/** What a streamed run measured: steady-state frames and the time they took. */
export interface StreamRun {
  /** Frames timed (those after the warm-up frames). */
  frames: number;
  /** Microseconds from the arrival of the last warm-up frame to the arrival of the last frame. */
  micros: number;
}

/**
 * Times the arrivals of a stream of frames after `warmup` of them: process start-up and the
 * first frames' page faults are not throughput, so the clock starts at the last warm-up frame.
 *
 * @example
 * ```ts
 * const clock = new ArrivalClock(1000, 100);
 * onFrame(() => clock.arrive());
 * const { frames, micros } = clock.result('my stream'); // 900 frames timed
 * ```
 */
export class ArrivalClock {
  #arrived = 0;
  #start = 0n;
  #end = 0n;
  constructor(readonly total: number, readonly warmup: number) {}
  /** Records `count` more frames arriving now. */
  arrive(count = 1): void {
    if (count <= 0) return;
    const before = this.#arrived;
    this.#arrived += count;
    const now = process.hrtime.bigint();
    if (before < this.warmup && this.#arrived >= this.warmup) this.#start = now;
    this.#end = now;
  }
  get arrived(): number {
    return this.#arrived;
  }
  /** The steady-state run; throws if frames went missing. */
  result(what: string): StreamRun {
    if (this.#arrived !== this.total) throw new Error(`${what} delivered ${this.#arrived} of ${this.total} frames`);
    return { frames: this.total - this.warmup, micros: Number(this.#end - this.#start) / 1000 };
  }
}

/**
 * Raw frames through three processes: a producer child writes stamped frames to a pipe, a filter
 * child gathers each whole frame and writes it on, and this process counts whole frames arriving.
 *
 * @example
 * ```ts
 * const { frames, micros } = await runRawPipeChain(1920 * 1080 * 4, 200, 20);
 * ```
 * @param frameBytes - bytes per frame
 * @param frames - frames to move, warm-up included
 * @param warmup - frames before the clock starts
 * @param onProgress - fraction done
 * @throws Error when a different number of frames arrives than was sent
 */
export async function runRawPipeChain(frameBytes: number, frames: number, warmup: number, onProgress?: (fraction: number) => void): Promise<StreamRun> {
  const producer = spawnPeer('baseline-peer', ['pipe-produce', String(frameBytes), String(frames)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const filter = spawnPeer('baseline-peer', ['pipe-relay', String(frameBytes)], { stdio: [producer.stdout!, 'pipe', 'inherit'] });
  // The filter holds the producer's stdout now; our copy would keep the pipe open.
  producer.stdout!.destroy();
  const clock = new ArrivalClock(frames, warmup);
  let partial = 0;
  filter.stdout!.on('data', (chunk: Buffer) => {
    partial += chunk.length;
    const whole = Math.floor(partial / frameBytes);
    partial -= whole * frameBytes;
    clock.arrive(whole);
    if (whole > 0) onProgress?.(clock.arrived / frames);
  });
  await Promise.all([once(filter.stdout!, 'end'), exited(producer), exited(filter)]);
  if (partial !== 0) throw new Error(`raw pipe chain delivered a partial frame of ${partial} bytes`);
  return clock.result('raw pipe chain');
}
