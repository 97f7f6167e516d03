/**
 * JPEG encoding on a worker thread (jpeg-js), so a preview never blocks the pipeline's thread.
 *
 * @internal
 * @module
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { GeyserError } from '../../core/errors.js';

/**
 * The worker's body. It is inline (`eval`) rather than a file next to this module so it runs the
 * same from `dist/` and from the TypeScript sources under vitest. It copies jpeg-js's output into a
 * fresh buffer before transferring it: jpeg-js may return a slice of Node's shared Buffer pool,
 * which must never be detached.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const jpeg = require(workerData.jpegJsPath);
parentPort.on('message', ({ id, data, width, height, quality }) => {
  try {
    const encoded = jpeg.encode({ data, width, height }, quality).data;
    const bytes = new Uint8Array(encoded.length);
    bytes.set(encoded);
    parentPort.postMessage({ id, bytes }, [bytes.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

/** Encodes RGBA frames to JPEG on one worker thread, one frame at a time. */
export class JpegEncoderWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }>();
  #nextId = 0;
  #closed = false;

  constructor() {
    const jpegJsPath = createRequire(import.meta.url).resolve('jpeg-js');
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { jpegJsPath } });
    // The worker must not keep the process alive by itself; pending encodes hold their own promises.
    this.#worker.unref();
    this.#worker.on('message', (message: { id: number; bytes?: Uint8Array; error?: string }) => {
      const waiter = this.#pending.get(message.id);
      if (waiter === undefined) return;
      this.#pending.delete(message.id);
      if (message.bytes !== undefined) waiter.resolve(message.bytes);
      else waiter.reject(new GeyserError('Other', `JPEG encoding failed: ${message.error}`));
    });
    this.#worker.on('error', (error) => this.#failAll(new GeyserError('Other', `the JPEG encoder thread failed: ${error.message}`, { cause: error })));
    this.#worker.on('exit', () => this.#failAll(new GeyserError('Released', 'the JPEG encoder thread has exited')));
  }

  /** Frames sent and not yet encoded. */
  get busy(): boolean {
    return this.#pending.size > 0;
  }

  /**
   * Encodes `rgba` (transferred: the caller must not use it afterwards).
   *
   * @param rgba - width * height * 4 bytes, its own ArrayBuffer
   * @param width - pixels
   * @param height - pixels
   * @param quality - 1 to 100
   */
  encode(rgba: Uint8Array, width: number, height: number, quality: number): Promise<Uint8Array> {
    if (this.#closed) return Promise.reject(new GeyserError('Released', 'the JPEG encoder has been closed'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, data: rgba, width, height, quality }, [rgba.buffer as ArrayBuffer]);
    });
  }

  /** Stops the thread (idempotent); pending encodes reject with `Released`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#failAll(new GeyserError('Released', 'the JPEG encoder has been closed'));
    await this.#worker.terminate();
  }

  #failAll(error: Error): void {
    for (const waiter of this.#pending.values()) waiter.reject(error);
    this.#pending.clear();
  }
}
