/**
 * Behaviour every backend's manager shares: idempotent dispose, tracking of what it created so
 * dispose frees it, the seed's platform-named aliases, and `createSyncPrimitives`.
 *
 * @module
 */
import { GeyserError } from './errors.js';
import type {
  ApiTextureHandle,
  BackendName,
  Capabilities,
  ExportableFence,
  ExportableSemaphore,
  ExportedHandle,
  FenceHandle,
  FenceOptions,
  SemaphoreHandle,
  SemaphoreOptions,
  SharedTexture,
  SyncPrimitives,
  TextureShareManager,
} from './types.js';
import type { TextureDescriptor } from './descriptor.js';

/** Something the manager frees on dispose. */
export interface Releasable {
  release(): void;
}

/**
 * Base class for backend managers. Subclasses implement the abstract methods; they call
 * {@link TextureShareManagerBase.assertOpen} first and {@link TextureShareManagerBase.adopt} for
 * each texture/semaphore/fence they create or import.
 *
 * @example
 * ```ts
 * class MyManager extends TextureShareManagerBase {
 *   readonly backend = 'host';
 *   // ...implement createShareableTexture, exportTexture, and the rest
 * }
 * ```
 */
export abstract class TextureShareManagerBase implements TextureShareManager {
  abstract readonly backend: BackendName;
  #disposed = false;
  readonly #owned = new Set<Releasable>();

  abstract capabilities(): Capabilities;
  abstract createShareableTexture(descriptor: TextureDescriptor): SharedTexture;
  abstract exportTexture(texture: SharedTexture): ApiTextureHandle;
  abstract importTexture(handle: ApiTextureHandle, descriptor: TextureDescriptor): SharedTexture;
  abstract releaseTextureHandle(handle: ExportedHandle): void;
  abstract writeTexture(texture: SharedTexture, data: ArrayBufferView): void;
  abstract readTexture(texture: SharedTexture): Uint8Array;
  abstract createExportableSemaphore(options?: SemaphoreOptions): ExportableSemaphore;
  abstract exportSemaphore(semaphore: ExportableSemaphore): SemaphoreHandle;
  abstract importSemaphore(handle: SemaphoreHandle): ExportableSemaphore;
  abstract createExportableFence(options?: FenceOptions): ExportableFence;
  abstract exportFence(fence: ExportableFence): FenceHandle;
  abstract importFence(handle: FenceHandle): ExportableFence;

  /** True once {@link dispose} ran. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** Throws `Released` if the manager was disposed. */
  protected assertOpen(): void {
    if (this.#disposed) throw new GeyserError('Released', `the ${this.backend} texture share manager has been disposed`);
  }

  /** Registers a resource to free on dispose; returns it. */
  protected adopt<T extends Releasable>(resource: T): T {
    this.#owned.add(resource);
    return resource;
  }

  /** Forgets a resource that was released on its own. */
  protected disown(resource: Releasable): void {
    this.#owned.delete(resource);
  }

  /** Subclass hook: frees the device itself after every resource is released. */
  protected abstract disposeBackend(): void;

  /** Frees every texture, semaphore and fence still held, then the device (idempotent). */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const errors: unknown[] = [];
    for (const resource of [...this.#owned].reverse()) {
      try {
        resource.release();
      } catch (error) {
        errors.push(error);
      }
    }
    this.#owned.clear();
    try {
      this.disposeBackend();
    } catch (error) {
      errors.push(error);
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} errors while disposing the ${this.backend} manager`);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /**
   * Creates an exportable timeline semaphore and fence and exports both (the seed's
   * `SyncPrimitives`). Either is left out when the device cannot export it.
   */
  createSyncPrimitives(): SyncPrimitives & { semaphoreObject?: ExportableSemaphore; fenceObject?: ExportableFence } {
    const caps = this.capabilities();
    const result: SyncPrimitives & { semaphoreObject?: ExportableSemaphore; fenceObject?: ExportableFence } = {};
    if (caps.semaphore.exportable) {
      result.semaphoreObject = this.createExportableSemaphore({ timeline: caps.semaphore.timeline });
      result.semaphore = this.exportSemaphore(result.semaphoreObject);
    }
    if (caps.fence.exportable) {
      result.fenceObject = this.createExportableFence();
      result.fence = this.exportFence(result.fenceObject);
    }
    return result;
  }

  // The seed's platform-named spellings. The fd/win32 variants check the handle type.

  /** Seed alias: {@link exportSemaphore}, asserting the handle is an fd. */
  exportSemaphoreFd(semaphore: ExportableSemaphore): SemaphoreHandle {
    return expectFd(this.exportSemaphore(semaphore), 'exportSemaphoreFd');
  }
  /** Seed alias: {@link importSemaphore} of an fd handle. */
  importSemaphoreFd(handle: SemaphoreHandle): ExportableSemaphore {
    return this.importSemaphore(expectFd(handle, 'importSemaphoreFd'));
  }
  /** Seed alias: {@link exportFence}, asserting the handle is an fd. */
  exportFenceFd(fence: ExportableFence): FenceHandle {
    return expectFd(this.exportFence(fence), 'exportFenceFd');
  }
  /** Seed alias: {@link importFence} of an fd handle. */
  importFenceFd(handle: FenceHandle): ExportableFence {
    return this.importFence(expectFd(handle, 'importFenceFd'));
  }
  /** Seed alias: {@link exportSemaphore}, asserting a win32 HANDLE (Windows only). */
  exportSemaphoreWin32(semaphore: ExportableSemaphore): SemaphoreHandle {
    assertWin32('exportSemaphoreWin32');
    return expectWin32(this.exportSemaphore(semaphore), 'exportSemaphoreWin32');
  }
  /** Seed alias: {@link importSemaphore} of a win32 HANDLE (Windows only). */
  importSemaphoreWin32(handle: SemaphoreHandle): ExportableSemaphore {
    return this.importSemaphore(expectWin32(handle, 'importSemaphoreWin32'));
  }
  /** Seed alias: {@link exportFence}, asserting a win32 HANDLE (Windows only). */
  exportFenceWin32(fence: ExportableFence): FenceHandle {
    assertWin32('exportFenceWin32');
    return expectWin32(this.exportFence(fence), 'exportFenceWin32');
  }
  /** Seed alias: {@link importFence} of a win32 HANDLE (Windows only). */
  importFenceWin32(handle: FenceHandle): ExportableFence {
    return this.importFence(expectWin32(handle, 'importFenceWin32'));
  }
  /** Seed (Metal) alias: a timeline semaphore is the portable MTLSharedEvent. */
  createSharedEvent(): ExportableSemaphore {
    return this.createExportableSemaphore({ timeline: true });
  }
  /** Seed (Metal) alias of {@link exportSemaphore}. */
  exportSharedEvent(event: ExportableSemaphore): SemaphoreHandle {
    return this.exportSemaphore(event);
  }
  /** Seed (Metal) alias of {@link importSemaphore}. */
  importSharedEvent(handle: SemaphoreHandle): ExportableSemaphore {
    return this.importSemaphore(handle);
  }
  /** Seed (Metal) alias: signals the event's counter from the CPU. */
  signalEvent(event: ExportableSemaphore, value: number): void {
    event.signal(value);
  }
  /** Seed (Metal) alias: waits until the event's counter reaches `value`. */
  waitForEvent(event: ExportableSemaphore, value: number, timeoutMs?: number): Promise<void> {
    return event.wait(value, timeoutMs);
  }
}

const FD_TYPES = new Set(['opaque-fd', 'sync-fd', 'memfd', 'dma-buf']);

function expectFd<T extends SemaphoreHandle | FenceHandle>(handle: T, call: string): T {
  if (!FD_TYPES.has(handle.handleType)) {
    throw new GeyserError('OperationNotSupported', `${call} needs an fd handle, but this ${handle.kind} handle is ${handle.handleType}`);
  }
  return handle;
}

function assertWin32(call: string): void {
  // Checked before exporting, so no fd is created only to be refused.
  if (process.platform !== 'win32') {
    throw new GeyserError('OperationNotSupported', `${call} is Windows-only; on ${process.platform} use the fd variant`);
  }
}

function expectWin32<T extends SemaphoreHandle | FenceHandle>(handle: T, call: string): T {
  if (handle.handleType !== 'opaque-win32' && handle.handleType !== 'opaque-win32-kmt') {
    throw new GeyserError('OperationNotSupported', `${call} needs a win32 HANDLE, but this ${handle.kind} handle is ${handle.handleType} (win32 handles exist only on Windows)`);
  }
  return handle;
}
