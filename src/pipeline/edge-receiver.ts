/**
 * The receiving end of a frame edge: imports each slot once (when its first frame arrives), turns
 * each frame message into a {@link Frame} of this process, waits for its acquire point, and sends
 * `{slot, release}` upstream when the last reference is released.
 *
 * @internal
 * @module
 */
import { Observable, type Subscriber } from 'rxjs';
import type { ShareChannel } from '../core/channel.js';
import { releaseReceivedHandles } from '../core/channel-handles.js';
import { GeyserError, type GeyserErrorCode } from '../core/errors.js';
import type { ApiTextureHandle, ExportableSemaphore, ExportedHandle, SemaphoreHandle, SharedTexture } from '../core/types.js';
import type { PipelineContext } from './context.js';
import { isEdgeMessage, slotKey, type EdgeMessage, type FrameMessage, type ReleaseMessage } from './edge-protocol.js';
import { createFrame, type Frame } from './frame.js';
import { signalPoint, waitPoint } from './gpu-queue.js';
import type { RelayHandles } from './relay-handles.js';
import type { SyncPrimitive } from './sync-point.js';
import { TexturePool } from './texture-pool.js';

/** Settings of a {@link receiveFrames} call. */
export interface FrameReceiverOptions {
  context: PipelineContext;
  primitive: SyncPrimitive;
  /** For messages: e.g. `edge n0 -> n1`. */
  label: string;
  /** The node that receives the frames first. */
  holderName: string;
  /** Keep a copy of each slot handle, to forward frames downstream (a child with a downstream edge). */
  relay?: RelayHandles | undefined;
}

interface SlotState {
  texture: SharedTexture;
  /** True when imported here (freed by the edge); false for a slot of a pool of this process. */
  imported: boolean;
  poolName: string;
  /** Frames of this slot alive in this process. */
  inUse: number;
  /** The edge ended: free the import when the last frame goes. */
  orphaned: boolean;
}

/**
 * Frames arriving on `channel`. Completes on the producer's end message; errors with the producer's
 * error, a `ProtocolError`, or `ChannelClosed` when the channel closes before the end.
 * Unsubscribing stops reading; frames already emitted stay valid until released.
 * @internal
 */
export function receiveFrames(channel: ShareChannel, options: FrameReceiverOptions): Observable<Frame> {
  return new Observable<Frame>((subscriber) => {
    const edge = new EdgeReceiver(channel, options, subscriber);
    const subscription = channel.messages$.subscribe({
      next: ({ message, handles }) => edge.onMessage(message, handles),
      error: (error: unknown) => edge.fail(error),
      complete: () => edge.fail(new GeyserError('ChannelClosed', `${options.label}: the channel closed before the end of the stream`)),
    });
    return () => {
      subscription.unsubscribe();
      edge.dispose();
    };
  });
}

class EdgeReceiver {
  readonly #slots = new Map<string, SlotState>();
  #acquireSemaphore: ExportableSemaphore | undefined;
  #releaseSemaphore: ExportableSemaphore | undefined;
  #releaseValue = 0;
  #chain: Promise<void> | undefined;
  #releases: ReleaseMessage[] = [];
  #disposed = false;

  constructor(
    readonly channel: ShareChannel,
    readonly options: FrameReceiverOptions,
    readonly subscriber: Subscriber<Frame>,
  ) {}

  onMessage(message: unknown, handles: ExportedHandle[]): void {
    if (this.#disposed) {
      releaseReceivedHandles(handles);
      return;
    }
    if (!isEdgeMessage(message)) {
      releaseReceivedHandles(handles);
      this.fail(new GeyserError('ProtocolError', `${this.options.label}: unexpected message ${JSON.stringify(message).slice(0, 80)}`));
      return;
    }
    // Messages are handled in order; only imports with relay copies and acquire waits are async.
    if (this.#chain) {
      const next = this.#chain.then(() => this.#handle(message, handles));
      this.#track(next);
      return;
    }
    let result: void | Promise<void>;
    try {
      result = this.#handle(message, handles);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (result) this.#track(result);
  }

  fail(error: unknown): void {
    if (!this.subscriber.closed) this.subscriber.error(error);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const [key, slot] of this.#slots) {
      if (slot.inUse > 0) slot.orphaned = true;
      else this.#freeSlot(key, slot);
    }
    this.#acquireSemaphore?.release();
    this.#releaseSemaphore?.release();
  }

  #track(promise: Promise<void>): void {
    const chained: Promise<void> = promise.then(
      () => {
        if (this.#chain === chained) this.#chain = undefined;
      },
      (error: unknown) => {
        if (this.#chain === chained) this.#chain = undefined;
        this.fail(error);
      },
    );
    this.#chain = chained;
  }

  #handle(message: EdgeMessage, handles: ExportedHandle[]): void | Promise<void> {
    switch (message.t) {
      case 'f':
        return this.#onFrame(message, handles);
      case 'F':
        releaseReceivedHandles(handles);
        return this.#onFrames(message.f);
      case 'sync':
        this.#onSync(handles);
        return;
      case 'end':
        releaseReceivedHandles(handles);
        if (!this.subscriber.closed) this.subscriber.complete();
        return;
      case 'err':
        releaseReceivedHandles(handles);
        this.fail(new GeyserError(message.code as GeyserErrorCode, message.message));
        return;
      default:
        releaseReceivedHandles(handles);
        throw new GeyserError('ProtocolError', `${this.options.label}: unexpected message type '${message.t}' downstream`);
    }
  }

  /** A batch of frames (slots already announced); stays in order across acquire waits. */
  #onFrames(frames: FrameMessage[]): void | Promise<void> {
    if (!Array.isArray(frames)) throw new GeyserError('ProtocolError', `${this.options.label}: a frame batch without frames`);
    for (let i = 0; i < frames.length; i++) {
      const pending = this.#onFrame(frames[i]!, []);
      if (pending) {
        const rest = frames.slice(i + 1);
        return pending.then(() => this.#onFrames(rest));
      }
    }
  }

  #onSync(handles: ExportedHandle[]): void {
    const [acquire, release] = handles as SemaphoreHandle[];
    if (!acquire || !release || handles.length !== 2) {
      releaseReceivedHandles(handles);
      throw new GeyserError('ProtocolError', `${this.options.label}: sync message needs 2 semaphore handles, received ${handles.length}`);
    }
    const { manager } = this.options.context;
    this.#acquireSemaphore = manager.importSemaphore(acquire);
    try {
      this.#releaseSemaphore = manager.importSemaphore(release);
    } catch (error) {
      releaseReceivedHandles([release]);
      throw error;
    }
    this.#releaseValue = 0;
  }

  #onFrame(message: FrameMessage, handles: ExportedHandle[]): void | Promise<void> {
    const key = slotKey(message.p, message.s);
    let slot = this.#slots.get(key);
    if (message.d) {
      const handle = handles[0] as ApiTextureHandle | undefined;
      if (!handle || handles.length !== 1) {
        releaseReceivedHandles(handles);
        throw new GeyserError('ProtocolError', `${this.options.label}: the first frame of slot ${key} needs 1 texture handle, received ${handles.length}`);
      }
      if (slot) {
        releaseReceivedHandles(handles);
        throw new GeyserError('ProtocolError', `${this.options.label}: slot ${key} announced twice`);
      }
      const local = TexturePool.byId(message.p);
      if (local) {
        // A frame coming home (parent -> child -> parent): use our own texture, no import.
        releaseReceivedHandles(handles);
        this.#slots.set(key, { texture: local.slotTexture(message.s), imported: false, poolName: local.name, inUse: 0, orphaned: false });
        return this.#emit(message, key);
      }
      const poolName = message.n ?? message.p;
      const descriptor = message.d;
      const importSlot = (): void => {
        let texture: SharedTexture;
        try {
          texture = this.options.context.manager.importTexture(handle, { ...descriptor, label: `${poolName}#${message.s}` });
        } catch (error) {
          releaseReceivedHandles([handle]);
          throw error;
        }
        this.#slots.set(key, { texture, imported: true, poolName, inUse: 0, orphaned: false });
      };
      if (this.options.relay) {
        return this.options.relay.keepCopy(key, handle, descriptor, poolName).then(() => {
          importSlot();
          return this.#emit(message, key);
        });
      }
      importSlot();
      return this.#emit(message, key);
    }
    releaseReceivedHandles(handles);
    if (!slot) throw new GeyserError('ProtocolError', `${this.options.label}: frame ${message.q} uses slot ${key}, which was never announced`);
    return this.#emit(message, key);
  }

  #emit(message: FrameMessage, key: string): void | Promise<void> {
    const slot = this.#slots.get(key)!;
    slot.inUse++;
    const acquire =
      this.#acquireSemaphore && message.a !== undefined ? { primitive: this.options.primitive, semaphore: this.#acquireSemaphore, value: message.a } : { primitive: this.options.primitive };
    const frame = createFrame(
      {
        texture: slot.texture,
        slot: message.s,
        poolId: message.p,
        poolName: slot.poolName,
        holder: this.options.holderName,
        giveBack: () => this.#giveBack(message.p, message.s, key),
      },
      this.options.context,
      { seq: message.q, pts: message.ts, metadata: message.m, acquire },
    );
    if (acquire.semaphore && acquire.value !== undefined) {
      // The frame is readable once the producer's acquire point is reached (GPU-side when possible).
      return waitPoint(this.options.context.manager, acquire.semaphore, acquire.value).then(() => this.#deliver(frame));
    }
    this.#deliver(frame);
  }

  #deliver(frame: Frame): void {
    if (this.subscriber.closed) frame.release();
    else this.subscriber.next(frame);
  }

  #giveBack(poolId: string, slotIndex: number, key: string): void {
    const slot = this.#slots.get(key);
    if (slot) {
      slot.inUse--;
      if (slot.orphaned && slot.inUse === 0) this.#freeSlot(key, slot);
    }
    if (this.channel.closed) return;
    const release = { t: 'r' as const, p: poolId, s: slotIndex } as ReleaseMessage;
    const send = (): void => {
      // Releases of one event-loop turn share a packet.
      this.#releases.push(release);
      if (this.#releases.length === 1) setImmediate(() => this.#flushReleases());
    };
    if (this.#releaseSemaphore) {
      release.r = ++this.#releaseValue;
      signalPoint(this.options.context.manager, this.#releaseSemaphore, release.r).then(send, (error: unknown) => this.options.context.reportError(error));
      return;
    }
    send();
  }

  #flushReleases(): void {
    const releases = this.#releases;
    this.#releases = [];
    if (releases.length === 0 || this.channel.closed) return;
    this.channel.send(releases.length === 1 ? releases[0] : { t: 'R', l: releases }).catch(() => undefined); // a closed peer reclaims its slots itself
  }

  #freeSlot(key: string, slot: SlotState): void {
    this.#slots.delete(key);
    if (slot.imported) slot.texture.release();
  }
}
