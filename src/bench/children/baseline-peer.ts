/**
 * The far end of the baselines, run as its own OS process: `node baseline-peer.js <mode> [arg]`.
 *
 * - `net-echo <socket path>`: echoes whatever arrives on a `net` Unix socket (the bare ping-pong).
 * - `pipe-ack <frame bytes>`: reads frames from stdin, writes one byte per whole frame to stdout.
 * - `ipc-ack`: answers each child_process IPC message with its byte length.
 * - `pipe-produce <frame bytes> <frames>`: writes frames (each stamped with its sequence number) to
 *   stdout as fast as the pipe takes them: the first process of the raw three-process chain.
 * - `pipe-relay <frame bytes>`: copies whole frames from stdin to stdout: the middle process.
 *
 * @internal
 * @module
 */
import { connect } from 'node:net';

const [mode = '', arg = '', arg2 = ''] = process.argv.slice(2);

/** Counts whole frames in a byte stream without keeping the bytes. */
function onWholeFrames(frameBytes: number, onFrame: () => void): (chunk: Buffer) => void {
  let pending = 0;
  return (chunk) => {
    pending += chunk.length;
    while (pending >= frameBytes) {
      pending -= frameBytes;
      onFrame();
    }
  };
}

function netEcho(path: string): void {
  const socket = connect(path);
  socket.setNoDelay(true);
  socket.on('data', (chunk) => socket.write(chunk));
  socket.on('error', () => process.exit(0));
}

function pipeAck(frameBytes: number): void {
  const ack = Buffer.from('k');
  process.stdin.on('data', onWholeFrames(frameBytes, () => process.stdout.write(ack)));
}

function ipcAck(): void {
  process.on('message', (frame: Uint8Array) => process.send?.(frame.byteLength));
  process.on('disconnect', () => process.exit(0));
}

/** Writes `frames` frames, each stamped with its sequence number, honouring backpressure. */
function pipeProduce(frameBytes: number, frames: number): void {
  // Two buffers alternate so a frame still queued in the stream is never overwritten by the next stamp.
  const buffers = [Buffer.alloc(frameBytes, 0x55), Buffer.alloc(frameBytes, 0x55)];
  let seq = 0;
  const pump = (): void => {
    while (seq < frames) {
      const frame = buffers[seq & 1] as Buffer;
      frame.writeUInt32LE(seq, 0);
      seq++;
      if (!process.stdout.write(frame)) {
        process.stdout.once('drain', pump);
        return;
      }
    }
    process.stdout.end();
  };
  pump();
}

/**
 * The raw chain's filter: gathers each whole frame into its own buffer (a filter needs the whole
 * frame to work on it), then writes it downstream; pauses reading while the downstream pipe is full.
 */
function pipeRelay(frameBytes: number): void {
  let frame = Buffer.allocUnsafe(frameBytes);
  let filled = 0;
  process.stdin.on('data', (chunk: Buffer) => {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(frameBytes - filled, chunk.length - offset);
      chunk.copy(frame, filled, offset, offset + take);
      filled += take;
      offset += take;
      if (filled === frameBytes) {
        // The written buffer stays queued until flushed, so the next frame gets a new one.
        if (!process.stdout.write(frame)) {
          process.stdin.pause();
          process.stdout.once('drain', () => process.stdin.resume());
        }
        frame = Buffer.allocUnsafe(frameBytes);
        filled = 0;
      }
    }
  });
  process.stdin.on('end', () => process.stdout.end());
}

switch (mode) {
  case 'net-echo':
    netEcho(arg);
    break;
  case 'pipe-ack':
    pipeAck(Number(arg));
    break;
  case 'ipc-ack':
    ipcAck();
    break;
  case 'pipe-produce':
    pipeProduce(Number(arg), Number(arg2));
    break;
  case 'pipe-relay':
    pipeRelay(Number(arg));
    break;
  default:
    process.stderr.write(`baseline-peer: unknown mode '${mode}'\n`);
    process.exitCode = 2;
}
