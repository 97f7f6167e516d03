/**
 * The sending end of a frame edge: exports each slot once, sends `{slot, seq, pts, acquire}` per
 * frame, and releases a frame when the receiver's release message (and release point) arrives.
 *
 * @internal
 * @module
 */
import { debuglog } from 'node:util';
import type { Subscription } from 'rxjs';
import type { ShareChannel } from '../core/channel.js';
import { releaseReceivedHandles } from '../core/channel-handles.js';
import { GeyserError } from '../core/errors.js';
import type { ExportableFence, ExportableSemaphore, ExportedHandle } from '../core/types.js';
import type { PipelineContext } from './context.js';
import { isEdgeMessage, slotKey, type FrameMessage } from './edge-protocol.js';
import type { Frame } from './frame.js';
import { gpuQueue, signalPoint } from './gpu-queue.js';
import type { RelayHandles } from './relay-handles.js';
import type { SyncPrimitive } from './sync-point.js';

const debug = debuglog('geyser');

/** Settings of a {@link FrameSender}. */
export interface FrameSenderOptions {
  context: PipelineContext;
  primitive: SyncPrimitive;
  /** For messages: e.g. `edge n0 -> n1`. */
  label: string;
  /** The node that receives the frames (it holds them while in flight). */
  peerName: string;
  /** Copies of slots this process received, to forward frames it did not create. */
  relay?: RelayHandles | undefined;
  /** Reports an error of the edge (a failed send, a bad release message). */
  onError(error: unknown): void;
  /** The channel closed under the sender (the peer went away); in-flight frames were reclaimed. */
  onClosed?: () => void;
}

/** Sends frames over one channel at a time; re-attachable after the peer restarts. */
export class FrameSender implements Disposable {
  readonly #options: FrameSenderOptions;
  #channel: ShareChannel | undefined;
  #subscription: Subscription | undefined;
  /** Slots whose handle this channel's peer already has. */
  #announced = new Set<string>();
  /** Frames sent and not yet released by the peer, by slot key. */
  readonly #outstanding = new Map<string, Frame>();
  /** Frames waiting while detached (the peer restarts); bounded by the producer's pool. */
  #waiting: Frame[] = [];
  #acquireSemaphore: ExportableSemaphore | undefined;
  #releaseSemaphore: ExportableSemaphore | undefined;
  #fence: ExportableFence | undefined;
  /** fence-wait: a timeline semaphore local to the producer's queue (where the backend has one). */
  #queueDone: ExportableSemaphore | undefined;
  #queueValue = 0;
  #acquireValue = 0;
  #queue: Promise<void> | undefined;
  /** Frame messages of this turn of the event loop, sent as one packet (see #flush). */
  #batch: FrameMessage[] = [];
  #flushScheduled = false;
  #drainWaiters: Array<() => void> = [];
  #disposed = false;
  /** Frames reclaimed because the peer went away while holding them. */
  reclaimed = 0;
  /** Frames sent. */
  sent = 0;

  constructor(options: FrameSenderOptions) {
    this.#options = options;
  }

  /** Frames the peer holds now. */
  get outstanding(): number {
    return this.#outstanding.size;
  }

  /**
   * Starts sending on `channel`: sends the edge's sync objects (timeline semaphores, exported once),
   * then any frames that waited while detached.
   */
  async attach(channel: ShareChannel): Promise<void> {
    if (this.#disposed) throw new GeyserError('Released', `${this.#options.label} has been disposed`);
    this.#channel = channel;
    this.#announced = new Set();
    this.#subscription = channel.messages$.subscribe({
      next: ({ message, handles }) => {
        releaseReceivedHandles(handles);
        this.#onMessage(message);
      },
      // The peer went away: reclaim what it held, then let the owner decide (restart or fail).
      error: () => this.#peerGone(channel),
      complete: () => this.#peerGone(channel),
    });
    await this.#setupSync(channel);
    const waiting = this.#waiting.splice(0);
    for (const frame of waiting) this.send(frame);
  }

  /**
   * Stops using the channel (the peer went away): frames it held are reclaimed (released), so
   * their slots return to the producer's pool.
   */
  detach(): void {
    this.#batch = [];
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    this.#channel = undefined;
    this.#freeSync();
    for (const frame of this.#outstanding.values()) {
      this.reclaimed++;
      frame.release();
    }
    this.#outstanding.clear();
    this.#resolveDrained();
  }

  /** Sends a frame (ownership moves to the edge until the peer releases it). */
  send(frame: Frame): void {
    if (this.#disposed) {
      frame.release();
      return;
    }
    if (!this.#channel) {
      this.#waiting.push(frame);
      return;
    }
    if (this.#queue || this.#options.primitive === 'fence-wait' || this.#options.primitive === 'timeline-semaphore') {
      // Paths that wait before sending keep frames in order on a promise chain.
      const previous = this.#queue ?? Promise.resolve();
      const next = previous.then(() => this.#sendNow(frame));
      this.#queue = next;
      void next.then(() => {
        if (this.#queue === next) this.#queue = undefined;
      });
      return;
    }
    void this.#sendNow(frame);
  }

  /** Tells the peer the stream ended (after every frame queued before). */
  async end(): Promise<void> {
    await this.#queue;
    await this.#flush();
    await this.#channel?.send({ t: 'end' });
  }

  /** Tells the peer the stream failed. */
  async fail(error: unknown): Promise<void> {
    await this.#queue?.catch(() => undefined);
    await this.#flush().catch(() => undefined);
    const code = GeyserError.is(error) ? error.code : 'Other';
    await this.#channel?.send({ t: 'err', code, message: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
  }

  /** Resolves once the peer released every frame sent (or went away). */
  drained(): Promise<void> {
    if (this.#outstanding.size === 0 && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /** Detaches and releases frames still waiting (idempotent). */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.detach();
    for (const frame of this.#waiting.splice(0)) frame.release();
    this.#resolveDrained();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Sends the frames batched this turn. */
  async #flush(): Promise<void> {
    this.#flushScheduled = false;
    const batch = this.#batch;
    if (batch.length === 0) return;
    this.#batch = [];
    const channel = this.#channel;
    if (!channel) return; // detached: those frames were reclaimed with the rest
    await channel.send(batch.length === 1 ? batch[0] : { t: 'F', f: batch });
  }

  #sendFailed(error: unknown): void {
    if (!GeyserError.is(error, 'ChannelClosed')) this.#options.onError(error);
  }

  #peerGone(channel: ShareChannel): void {
    if (this.#channel !== channel) return;
    this.detach();
    this.#options.onClosed?.();
  }

  async #sendNow(frame: Frame): Promise<void> {
    const channel = this.#channel;
    if (!channel || channel.closed) {
      if (this.#disposed) frame.release();
      else this.#waiting.push(frame);
      return;
    }
    const { manager } = this.#options.context;
    const key = slotKey(frame.poolId, frame.slot);
    if (this.#outstanding.has(key)) {
      frame.release();
      this.#options.onError(new GeyserError('ProtocolError', `${this.#options.label}: slot ${key} sent again before the peer released it`));
      return;
    }
    const message: FrameMessage = { t: 'f', p: frame.poolId, s: frame.slot, q: frame.seq, ts: frame.pts };
    if (frame.metadata !== undefined && Object.keys(frame.metadata).length > 0) message.m = { ...frame.metadata };
    const handles: ExportedHandle[] = [];
    let exported: ExportedHandle | undefined;
    if (!this.#announced.has(key)) {
      const texture = frame.texture;
      message.d = { width: texture.width, height: texture.height, format: texture.format, usage: [...texture.usage] };
      const relayed = this.#options.relay?.get(key);
      if (relayed) {
        handles.push(relayed.handle);
        message.n = relayed.poolName;
      } else {
        exported = manager.exportTexture(texture);
        handles.push(exported);
        message.n = texture.label.replace(/#\d+$/, '') || frame.poolId;
      }
      this.#announced.add(key);
    }
    frame.holder = this.#options.peerName;
    this.#outstanding.set(key, frame);
    try {
      if (this.#options.primitive === 'fence-wait') {
        // The degraded path: the producer waits for its own queue before the frame leaves.
        if (this.#queueDone) {
          const value = ++this.#queueValue;
          gpuQueue(manager)!.submitSignal(this.#queueDone, value);
          await this.#queueDone.wait(value);
        } else if (this.#fence) {
          this.#fence.reset();
          this.#fence.signal();
          await this.#fence.wait();
        }
      }
      if (this.#options.primitive === 'timeline-semaphore' && this.#acquireSemaphore) {
        message.a = ++this.#acquireValue;
        await signalPoint(manager, this.#acquireSemaphore, message.a);
      }
      this.sent++;
      if (handles.length === 0) {
        // Per-frame messages of one event-loop turn share a packet: one syscall, one wake-up.
        this.#batch.push(message);
        if (!this.#flushScheduled) {
          this.#flushScheduled = true;
          setImmediate(() => void this.#flush().catch((error: unknown) => this.#sendFailed(error)));
        }
        return;
      }
      // Issue the batch before this message without awaiting it: the channel keeps issue order,
      // and awaiting would let frames pushed meanwhile overtake this one.
      const flushed = this.#flush();
      const sending = channel.send(message, handles);
      void flushed.catch((error: unknown) => this.#sendFailed(error));
      if (exported) {
        const handle = exported;
        void sending.then(
          () => manager.releaseTextureHandle(handle),
          () => manager.releaseTextureHandle(handle),
        );
      }
      await sending;
    } catch (error) {
      if (GeyserError.is(error, 'ChannelClosed')) return; // the peer went away; detach() reclaims
      this.#options.onError(error);
    }
  }

  #onMessage(message: unknown): void {
    if (isEdgeMessage(message) && message.t === 'R' && Array.isArray(message.l)) {
      for (const release of message.l) this.#onMessage(release);
      return;
    }
    if (!isEdgeMessage(message) || message.t !== 'r') {
      this.#options.onError(new GeyserError('ProtocolError', `${this.#options.label}: unexpected message ${JSON.stringify(message).slice(0, 80)}`));
      return;
    }
    const key = slotKey(message.p, message.s);
    const frame = this.#outstanding.get(key);
    if (!frame) {
      this.#options.onError(new GeyserError('ProtocolError', `${this.#options.label}: release of slot ${key}, which is not in flight`));
      return;
    }
    this.#outstanding.delete(key);
    if (this.#releaseSemaphore && message.r !== undefined && this.#releaseSemaphore.value < message.r) {
      // A slot returns only after its release point: the consumer's queue reached `r` (checked
      // above without blocking; waited for off the JS thread when not reached yet).
      void this.#releaseSemaphore.wait(message.r).then(
        () => this.#finishRelease(frame),
        (error: unknown) => {
          this.#options.onError(error);
          this.#finishRelease(frame);
        },
      );
      return;
    }
    this.#finishRelease(frame);
  }

  #finishRelease(frame: Frame): void {
    frame.release();
    if (this.#outstanding.size === 0) this.#resolveDrained();
  }

  #resolveDrained(): void {
    if (this.#outstanding.size > 0 || this.#waiting.length > 0) return;
    for (const resolve of this.#drainWaiters.splice(0)) resolve();
  }

  async #setupSync(channel: ShareChannel): Promise<void> {
    const { manager } = this.#options.context;
    if (this.#options.primitive === 'timeline-semaphore') {
      // One timeline per direction, exported once; acquire/release points are their values.
      this.#acquireSemaphore = manager.createExportableSemaphore({ timeline: true });
      this.#releaseSemaphore = manager.createExportableSemaphore({ timeline: true });
      this.#acquireValue = 0;
      const handles = [manager.exportSemaphore(this.#acquireSemaphore), manager.exportSemaphore(this.#releaseSemaphore)];
      try {
        await channel.send({ t: 'sync', primitive: 'timeline-semaphore' }, handles);
      } finally {
        for (const handle of handles) manager.releaseTextureHandle(handle);
      }
      debug('%s: timeline semaphores exported', this.#options.label);
    } else if (this.#options.primitive === 'fence-wait') {
      const local = manager as { createLocalSemaphore?: () => ExportableSemaphore };
      if (gpuQueue(manager) && typeof local.createLocalSemaphore === 'function') {
        // A timeline semaphore that never leaves this process works as the queue's fence.
        this.#queueDone = local.createLocalSemaphore();
        this.#queueValue = 0;
        return;
      }
      try {
        this.#fence = manager.createExportableFence();
      } catch (error) {
        // No fence at all: the backend's texture copies wait for their own completion, so the
        // producer's writes are done when writeTexture returns.
        debug('%s: no fence (%s); writes are complete on return', this.#options.label, (error as Error).message);
      }
    }
  }

  #freeSync(): void {
    this.#acquireSemaphore?.release();
    this.#releaseSemaphore?.release();
    this.#fence?.release();
    this.#queueDone?.release();
    this.#acquireSemaphore = this.#releaseSemaphore = this.#queueDone = undefined;
    this.#fence = undefined;
  }
}
