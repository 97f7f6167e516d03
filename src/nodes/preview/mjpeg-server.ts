/**
 * A tiny HTTP server for a live MJPEG view: `/` (a page), `/stream.mjpg`
 * (`multipart/x-mixed-replace`, one JPEG per part) and `/frame.jpg` (the next frame, once).
 * Slow viewers are skipped frame by frame instead of buffering: a viewer whose socket still holds
 * unsent bytes above a limit misses the frame.
 *
 * @internal
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GeyserError } from '../../core/errors.js';
import { previewPage } from './preview-page.js';

const BOUNDARY = 'geyserframe';

/** Unsent bytes above which a viewer misses frames until its socket drains. */
const MAX_BACKLOG_BYTES = 1 << 20;

/** Counters of a running server. */
export interface MjpegServerStats {
  /** Open `/stream.mjpg` viewers. */
  readonly viewers: number;
  /** JPEGs published. */
  readonly published: number;
  /** Parts written to viewers, summed over viewers. */
  readonly sent: number;
  /** Parts a slow viewer missed. */
  readonly skipped: number;
}

/** Where to listen and what to call the view. */
export interface MjpegServerOptions {
  host: string;
  port: number;
  title: string;
}

/** The server; {@link MjpegServer.listen} starts one. */
export class MjpegServer {
  readonly #server: Server;
  readonly #viewers = new Set<ServerResponse>();
  readonly #snapshotWaiters = new Set<ServerResponse>();
  readonly #url: string;
  #latest: Uint8Array | undefined;
  #published = 0;
  #sent = 0;
  #skipped = 0;
  #closed = false;

  private constructor(server: Server, url: string, title: string) {
    this.#server = server;
    this.#url = url;
    server.on('request', (request: IncomingMessage, response: ServerResponse) => this.#route(request, response, title));
  }

  /**
   * Starts listening.
   *
   * @throws GeyserError `Other` when the address cannot be bound (in use, not local, ...)
   */
  static listen(options: MjpegServerOptions): Promise<MjpegServer> {
    const server = createServer();
    return new Promise((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        reject(new GeyserError('Other', `preview cannot listen on ${options.host}:${options.port}: ${error.message}`, { cause: error, detail: error.code }));
      });
      server.listen(options.port, options.host, () => {
        const { port } = server.address() as AddressInfo;
        const host = options.host.includes(':') ? `[${options.host}]` : options.host;
        resolve(new MjpegServer(server, `http://${host}:${port}/`, options.title));
      });
    });
  }

  /** The page's address, such as `http://127.0.0.1:39213/`. */
  get url(): string {
    return this.#url;
  }

  /** True while someone is watching or waiting for a frame: only then is encoding worth it. */
  get wantsFrame(): boolean {
    return this.#viewers.size > 0 || this.#snapshotWaiters.size > 0;
  }

  /** The counters. */
  get stats(): MjpegServerStats {
    return { viewers: this.#viewers.size, published: this.#published, sent: this.#sent, skipped: this.#skipped };
  }

  /** Sends a JPEG to every viewer that keeps up, and answers waiting `/frame.jpg` requests. */
  publish(jpeg: Uint8Array): void {
    if (this.#closed) return;
    this.#latest = jpeg;
    this.#published++;
    for (const viewer of this.#viewers) {
      if (viewer.writableLength > MAX_BACKLOG_BYTES) this.#skipped++;
      else this.#writePart(viewer, jpeg);
    }
    for (const waiter of this.#snapshotWaiters) sendJpeg(waiter, jpeg);
    this.#snapshotWaiters.clear();
  }

  /** Ends every response and stops listening (idempotent). */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    for (const response of [...this.#viewers, ...this.#snapshotWaiters]) response.destroy();
    this.#viewers.clear();
    this.#snapshotWaiters.clear();
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  #route(request: IncomingMessage, response: ServerResponse, title: string): void {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(previewPage(title));
    } else if (path === '/stream.mjpg') {
      response.writeHead(200, { 'content-type': `multipart/x-mixed-replace; boundary=${BOUNDARY}`, 'cache-control': 'no-store', connection: 'close' });
      // Send the headers now: the first part may be a while coming.
      response.flushHeaders();
      this.#viewers.add(response);
      response.on('close', () => this.#viewers.delete(response));
      // A new viewer sees the last frame at once instead of waiting for the next one.
      if (this.#latest !== undefined) this.#writePart(response, this.#latest);
    } else if (path === '/frame.jpg') {
      this.#snapshotWaiters.add(response);
      response.on('close', () => this.#snapshotWaiters.delete(response));
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  }

  #writePart(viewer: ServerResponse, jpeg: Uint8Array): void {
    viewer.write(`--${BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`);
    viewer.write(jpeg);
    viewer.write('\r\n');
    this.#sent++;
  }
}

/** Answers a `/frame.jpg` request. */
function sendJpeg(response: ServerResponse, jpeg: Uint8Array): void {
  response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': jpeg.length, 'cache-control': 'no-store' }).end(jpeg);
}
