/**
 * Spare copies of received slot handles, so a process that forwards a frame it received (a
 * pass-through filter in a child) can hand the slot on without exporting an imported texture
 * (which Vulkan does not allow). The copy is made once per slot, at import time, by passing the
 * handle through a socket pair inside this process (SCM_RIGHTS duplicates the fd).
 *
 * @internal
 * @module
 */
import { ShareChannel } from '../core/channel.js';
import { releaseReceivedHandles } from '../core/channel-handles.js';
import { GeyserError } from '../core/errors.js';
import type { ApiTextureHandle } from '../core/types.js';
import type { SlotDescriptor } from './edge-protocol.js';

interface RelayEntry {
  handle: ApiTextureHandle;
  descriptor: SlotDescriptor;
  poolName: string;
}

/** Copies of handles by slot key, for one process. */
export class RelayHandles implements Disposable {
  readonly #entries = new Map<string, RelayEntry>();
  #pair: [ShareChannel, ShareChannel] | undefined;
  #closed = false;

  /** Stores a copy of `handle` (the original stays with the caller, to import). */
  async keepCopy(key: string, handle: ApiTextureHandle, descriptor: SlotDescriptor, poolName: string): Promise<void> {
    if (this.#closed || this.#entries.has(key)) return;
    this.#pair ??= ShareChannel.pair({ label: 'relay-copies' });
    const [a, b] = this.#pair;
    const received = b.receive();
    await a.send({ key }, [handle]);
    const { handles } = await received;
    const copy = handles[0] as ApiTextureHandle | undefined;
    if (!copy) throw new GeyserError('ProtocolError', `relay copy of slot ${key} arrived without its handle`);
    if (this.#closed) {
      releaseReceivedHandles(handles);
      return;
    }
    const previous = this.#entries.get(key);
    if (previous) releaseReceivedHandles([previous.handle]);
    this.#entries.set(key, { handle: copy, descriptor, poolName });
  }

  /** The copy for a slot, if one was kept. */
  get(key: string): RelayEntry | undefined {
    return this.#entries.get(key);
  }

  /** Frees every copy and the internal pair (idempotent). */
  dispose(): void {
    if (this.#closed) return;
    this.#closed = true;
    const handles = [...this.#entries.values()].map((entry) => entry.handle);
    this.#entries.clear();
    if (this.#pair) for (const channel of this.#pair) channel.close();
    releaseReceivedHandles(handles);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
