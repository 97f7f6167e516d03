/**
 * `preview`: a live MJPEG view of any edge, served on localhost, that never slows the pipeline.
 *
 * @module
 */
import { debuglog } from 'node:util';
import { checkIntegerInRange, invalid } from '../core/validate.js';
import { defineFilter } from '../pipeline/define-node.js';
import type { Frame } from '../pipeline/frame.js';
import type { OperatorNode } from '../pipeline/node.js';
import { swapRedBlue } from './kernels/swap-red-blue.js';
import { JpegEncoderWorker } from './preview/jpeg-encoder-worker.js';
import { MjpegServer } from './preview/mjpeg-server.js';
import { RGBA_FORMATS, readPixels } from './support/frame-pixels.js';
import { splitNodeOptions } from './support/node-options.js';

const debug = debuglog('geyser');

/** Options of {@link preview}. */
export interface PreviewOptions {
  /** TCP port; default 0 (any free port: read the address in `onListen`). */
  port?: number;
  /** Interface to listen on; default `'127.0.0.1'` (local only). */
  host?: string;
  /** Most JPEGs encoded per second, 1 to 60 (default 10); frames in between are not encoded. */
  maxFps?: number;
  /** JPEG quality 1 to 100 (default 80). */
  quality?: number;
  /** Called once the server listens, with the page's URL (`http://127.0.0.1:PORT/`). */
  onListen?: (url: string) => void;
  /** Node name (default `'preview'`), also the page's title. */
  name?: string;
}

/**
 * Taps an edge: frames pass through unchanged and unheld, and a local HTTP server shows them live.
 * `GET /` is a page with the view, `/stream.mjpg` the `multipart/x-mixed-replace` MJPEG stream,
 * `/frame.jpg` the next frame as one JPEG. It never slows the pipeline: nothing is encoded while
 * nobody watches; at most `maxFps` frames a second are copied out (one memcpy on the pipeline's
 * thread) and JPEG-encoded (jpeg-js) on a worker thread, skipping frames while the encoder is busy;
 * and a viewer that reads slowly misses frames instead of queueing them. RGBA8 and BGRA8 frames are
 * shown; others pass through unseen (with a one-time warning).
 *
 * @example
 * ```ts
 * await pipeline(
 *   testPattern({ width: 1280, height: 720, fps: 30 }),
 *   preview({ port: 8080, onListen: (url) => console.log(`open ${url}`) }),
 *   nullSink(),
 * ).done;
 * ```
 * @param options - address, rate, quality, listen callback
 * @returns a pass-through filter node
 * @throws GeyserError `InvalidDescriptor` for a bad option; `TypeError` for an unknown option; at run
 *   time `Other` when the address cannot be bound (port in use)
 */
export function preview(options: PreviewOptions = {}): OperatorNode<Frame, Frame> {
  const common = splitNodeOptions(options, ['port', 'host', 'maxFps', 'quality', 'onListen'], 'preview');
  const port = checkIntegerInRange(options.port ?? 0, 'preview.port', 0, 65535);
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '') invalid('a host name or address', 'preview.host', host);
  const maxFps = checkIntegerInRange(options.maxFps ?? 10, 'preview.maxFps', 1, 60);
  const quality = checkIntegerInRange(options.quality ?? 80, 'preview.quality', 1, 100);
  const onListen = options.onListen;
  if (onListen !== undefined && typeof onListen !== 'function') invalid('a function', 'preview.onListen', onListen);
  const interval = 1000 / maxFps;
  return defineFilter<Frame, Frame>(
    'preview',
    (scope) => {
      let server: MjpegServer | undefined;
      let stopped = false;
      let lastEncode = -Infinity;
      let warned = false;
      // Made on the first frame someone watches: a preview nobody opens costs no thread.
      let encoder: JpegEncoderWorker | undefined;
      scope.add(() => {
        stopped = true;
        void encoder?.close();
        void server?.close();
      });
      MjpegServer.listen({ host, port, title: scope.name }).then(
        (listening) => {
          if (stopped) return void listening.close();
          server = listening;
          debug('preview %s at %s', scope.name, listening.url);
          onListen?.(listening.url);
        },
        (error: unknown) => scope.error(error),
      );
      const show = (frame: Frame): void => {
        const bgra = frame.format === 'bgra8unorm' || frame.format === 'bgra8unorm-srgb';
        if (!bgra && !RGBA_FORMATS.includes(frame.format)) {
          if (!warned) process.emitWarning(`preview '${scope.name}' cannot show ${frame.format} frames; they pass through unseen`, { code: 'GEYSER_PREVIEW_FORMAT' });
          warned = true;
          return;
        }
        // A copy the worker may own: the frame goes downstream right after this.
        const copy = readPixels(frame).slice();
        const image = { data: copy, width: frame.width, height: frame.height };
        if (bgra) swapRedBlue(image);
        const target = server!;
        encoder ??= new JpegEncoderWorker();
        encoder.encode(copy, image.width, image.height, quality).then(
          (jpeg) => target.publish(jpeg),
          (error: unknown) => {
            if (!stopped) scope.error(error);
          },
        );
      };
      return {
        next(frame) {
          const now = performance.now();
          if (server?.wantsFrame && !encoder?.busy && now - lastEncode >= interval) {
            lastEncode = now;
            show(frame);
          }
          scope.emit(frame);
        },
      };
    },
    common,
  );
}
