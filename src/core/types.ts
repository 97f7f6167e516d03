/**
 * The texture-share manager contract (the seed's `TextureShareManager` and `SharedTexture` traits,
 * in TypeScript idiom) that every backend implements.
 *
 * @module
 */
import type { ValidatedDescriptor, TextureDescriptor } from './descriptor.js';
import type { TextureFormat } from './formats.js';
import type { TextureUsage } from './usages.js';

/** A backend's name. `host` is shared memory (memfd) and runs anywhere with no GPU. */
export type BackendName = 'vulkan' | 'host' | 'metal';

/** The backend to ask {@link createTextureShareManager} for; `auto` picks the best that works. */
export type BackendChoice = BackendName | 'auto';

/**
 * A texture that other processes can import (the seed's `SharedTexture`).
 *
 * @example
 * ```ts
 * const texture = manager.createShareableTexture({ width: 64, height: 64, format: 'rgba8unorm', usage: ['copy-src', 'copy-dst'] });
 * console.log(texture.width, texture.format); // 64 'rgba8unorm'
 * texture.release();
 * ```
 */
export interface SharedTexture extends Disposable {
  /** Width in texels. */
  readonly width: number;
  /** Height in texels. */
  readonly height: number;
  /** Pixel format. */
  readonly format: TextureFormat;
  /** Usages it was created with. */
  readonly usage: readonly TextureUsage[];
  /** Debug label ('' if none). */
  readonly label: string;
  /** The full validated descriptor. */
  readonly descriptor: ValidatedDescriptor;
  /** The backend that owns it. */
  readonly backend: BackendName;
  /** True when this texture was imported from a handle rather than created here. */
  readonly imported: boolean;
  /** True once {@link SharedTexture.release} ran. */
  readonly released: boolean;
  /** Frees the texture (idempotent). Using it afterwards throws `Released`. */
  release(): void;
}

/** How an external memory/semaphore/fence handle is encoded. */
export type ExternalHandleType = 'opaque-fd' | 'dma-buf' | 'sync-fd' | 'opaque-win32' | 'opaque-win32-kmt' | 'memfd' | 'iosurface' | 'mach-port';

/**
 * A handle for a texture exported by the host backend: a sealed memfd whose pages are the texels,
 * tightly packed, row after row.
 */
export interface HostTextureHandle {
  readonly backend: 'host';
  readonly kind: 'texture';
  /** The memfd, valid only in the process that holds it (crosses processes through ShareChannel). */
  readonly rawHandle: number;
  readonly handleType: 'memfd';
  /** Bytes in the memfd. */
  readonly size: number;
  readonly width: number;
  readonly height: number;
  readonly format: TextureFormat;
}

/** A handle for a texture exported by the Vulkan backend (the seed's `VulkanTextureShareHandle`). */
export interface VulkanTextureHandle {
  readonly backend: 'vulkan';
  readonly kind: 'texture';
  /** The exported fd (Linux) or HANDLE value (Windows). */
  readonly rawHandle: number;
  /** The memory type index the exporter allocated from. */
  readonly memoryTypeIndex: number;
  /** Allocation size in bytes. */
  readonly size: number;
  readonly handleType: ExternalHandleType;
  /** True when the memory was a dedicated allocation for the image (the importer must match). */
  readonly dedicatedAllocation: boolean;
  /** `VkPhysicalDeviceIDProperties.deviceUUID`, hex; an importer on another device refuses it. */
  readonly deviceUuid: string;
  /** `VkPhysicalDeviceIDProperties.driverUUID`, hex. */
  readonly driverUuid: string;
  readonly width: number;
  readonly height: number;
  readonly format: TextureFormat;
  readonly usage: readonly TextureUsage[];
  /** `VK_IMAGE_TILING_*` name the image used ('optimal' or 'linear'); the importer must match. */
  readonly tiling: 'optimal' | 'linear';
}

/** A handle for a texture exported by the Metal backend (the seed's `MetalTextureShareHandle`). */
export interface MetalTextureHandle {
  readonly backend: 'metal';
  readonly kind: 'texture';
  /** The IOSurface's global ID. */
  readonly ioSurfaceId: number;
  readonly handleType: 'iosurface';
  readonly width: number;
  readonly height: number;
  readonly format: TextureFormat;
}

/**
 * A JSON-describable handle for a texture (the seed's `ApiTextureHandle`), discriminated by
 * `backend`. Its `rawHandle` fd is meaningful only in its own process.
 */
export type ApiTextureHandle = HostTextureHandle | VulkanTextureHandle | MetalTextureHandle;

/** A handle for an exported semaphore (the seed's `VulkanSemaphoreHandle`, and its host/Metal kin). */
export interface SemaphoreHandle {
  readonly backend: BackendName;
  readonly kind: 'semaphore';
  /** fd (Linux), HANDLE (Windows); for Metal the shared event's ID. */
  readonly rawHandle: number;
  readonly handleType: ExternalHandleType;
  /** True for a timeline semaphore (64-bit counter), false for a binary one. */
  readonly timeline: boolean;
}

/** A handle for an exported fence (the seed's `VulkanFenceHandle`). */
export interface FenceHandle {
  readonly backend: BackendName;
  readonly kind: 'fence';
  readonly rawHandle: number;
  readonly handleType: ExternalHandleType;
}

/** Any handle Geyser exports; ShareChannel carries all of them. */
export type ExportedHandle = ApiTextureHandle | SemaphoreHandle | FenceHandle;

/** The seed's `SyncPrimitives`: the sync handles that go with a shared texture. */
export interface SyncPrimitives {
  semaphore?: SemaphoreHandle | undefined;
  fence?: FenceHandle | undefined;
}

/**
 * A semaphore that can be exported to another process. A timeline semaphore holds a 64-bit
 * counter that only grows; `wait(v)` resolves once the counter reaches `v`.
 *
 * @example
 * ```ts
 * const semaphore = manager.createExportableSemaphore({ timeline: true });
 * setTimeout(() => semaphore.signal(1), 10);
 * await semaphore.wait(1, 1000);
 * ```
 */
export interface ExportableSemaphore extends Disposable {
  readonly backend: BackendName;
  /** True for a timeline semaphore. */
  readonly timeline: boolean;
  /** The current counter value (timeline), or 1/0 for a binary semaphore. */
  readonly value: number;
  /** True when imported from a handle. */
  readonly imported: boolean;
  /** Sets the counter to `value` from the host; it must be greater than the current value. */
  signal(value: number): void;
  /**
   * Resolves when the counter reaches `value`.
   * @param timeoutMs - reject with `Timeout` after this many ms; default: wait forever
   */
  wait(value: number, timeoutMs?: number): Promise<void>;
  /** Frees the semaphore (idempotent). */
  release(): void;
}

/**
 * A fence that can be exported to another process.
 *
 * @example
 * ```ts
 * const fence = manager.createExportableFence();
 * fence.signal();
 * await fence.wait(1000);
 * fence.reset();
 * ```
 */
export interface ExportableFence extends Disposable {
  readonly backend: BackendName;
  /** Whether the fence is signaled now. */
  readonly signaled: boolean;
  /** True when imported from a handle. */
  readonly imported: boolean;
  /** Signals the fence from the host (the host backend; on Vulkan, a queue submission signals it). */
  signal(): void;
  /** Resolves when the fence is signaled; rejects with `Timeout` after `timeoutMs`. */
  wait(timeoutMs?: number): Promise<void>;
  /** Returns the fence to unsignaled. */
  reset(): void;
  /** Frees the fence (idempotent). */
  release(): void;
}

/** Options for {@link TextureShareManager.createExportableSemaphore}. */
export interface SemaphoreOptions {
  /** A timeline semaphore (default true): a 64-bit counter rather than a binary flag. */
  timeline?: boolean;
  /** The counter's starting value (timeline only; default 0). */
  initialValue?: number;
}

/** Options for {@link TextureShareManager.createExportableFence}. */
export interface FenceOptions {
  /** Create it signaled (default false). */
  signaled?: boolean;
}

/** What one device is. */
export interface DeviceInfo {
  /** Index in the backend's device list. */
  index: number;
  /** Human name, e.g. 'NVIDIA H100 80GB HBM3' or 'llvmpipe (LLVM 15.0.6, 256 bits)'. */
  name: string;
  /** 'cpu' for a software rasterizer such as lavapipe. */
  type: 'discrete-gpu' | 'integrated-gpu' | 'virtual-gpu' | 'cpu' | 'other';
  /** Hex UUID of the device (Vulkan deviceUUID), if known. */
  deviceUuid?: string | undefined;
  /** Hex UUID of the driver (Vulkan driverUUID), if known. */
  driverUuid?: string | undefined;
  /** Driver name and version, if known. */
  driver?: string | undefined;
  /** API version, e.g. '1.3.255'. */
  apiVersion?: string | undefined;
}

/** What a manager's device can do, for `geyser info` and for the pipeline's sync choices. */
export interface Capabilities {
  backend: BackendName;
  device: DeviceInfo;
  /** Formats that can be created and shared, each with whether CPU copies work. */
  formats: Partial<Record<TextureFormat, { copyable: boolean }>>;
  /** Formats refused, each with the reason. */
  unsupportedFormats: Partial<Record<TextureFormat, string>>;
  /** Texture memory export/import across processes. */
  memory: { exportable: boolean; handleTypes: ExternalHandleType[]; reason?: string | undefined };
  /** Exportable semaphores. */
  semaphore: { exportable: boolean; timeline: boolean; handleTypes: ExternalHandleType[]; reason?: string | undefined };
  /** Exportable fences. */
  fence: { exportable: boolean; handleTypes: ExternalHandleType[]; reason?: string | undefined };
  /** Whether the CPU can map the texture memory directly (host backend: yes). */
  cpuMappable: boolean;
}

/**
 * The texture-share manager (the seed's `TextureShareManager` trait): creates shareable textures,
 * exports them to handles, imports handles from other processes, and releases handles. Every
 * backend implements it; get one from {@link createTextureShareManager}.
 *
 * Ownership of OS handles: `exportTexture`/`exportSemaphore`/`exportFence` return a handle that owns
 * a new fd, freed by `releaseTextureHandle` (exactly once; a second release throws). `import*`
 * consumes the handle's fd on success; on failure the caller still owns it.
 *
 * @example
 * ```ts
 * const manager = await createTextureShareManager();
 * const texture = manager.createShareableTexture({ width: 1920, height: 1080, format: 'rgba8unorm', usage: ['copy-src', 'copy-dst'] });
 * const handle = manager.exportTexture(texture);
 * await channel.send({ kind: 'frame-pool' }, [handle]); // the peer imports it
 * manager.releaseTextureHandle(handle);
 * ```
 */
export interface TextureShareManager extends Disposable {
  /** Which backend this is. */
  readonly backend: BackendName;
  /** What the device can do. */
  capabilities(): Capabilities;
  /** Creates a texture other processes can import. */
  createShareableTexture(descriptor: TextureDescriptor): SharedTexture;
  /** Exports a texture to a new handle (the caller owns it; see {@link releaseTextureHandle}). */
  exportTexture(texture: SharedTexture): ApiTextureHandle;
  /** Imports a texture from a handle (received through ShareChannel); consumes the handle on success. */
  importTexture(handle: ApiTextureHandle, descriptor: TextureDescriptor): SharedTexture;
  /** Releases what an exported (or received, not imported) handle owns, exactly once. */
  releaseTextureHandle(handle: ExportedHandle): void;
  /** Uploads tightly packed rows (`width * bytesPerTexel` bytes each) into the texture. */
  writeTexture(texture: SharedTexture, data: ArrayBufferView): void;
  /** Reads the texture back as tightly packed rows. */
  readTexture(texture: SharedTexture): Uint8Array;
  /**
   * A zero-copy view of the texture's memory, tightly packed rows, where the backend keeps texels
   * in CPU-visible shared memory (`capabilities().cpuMappable`; the host backend). The view is
   * detached (length 0) once the texture is released. Absent on GPU backends.
   */
  mapTexture?(texture: SharedTexture): Uint8Array;
  /** Creates a semaphore that can be exported. */
  createExportableSemaphore(options?: SemaphoreOptions): ExportableSemaphore;
  /** Exports a semaphore to a new handle. */
  exportSemaphore(semaphore: ExportableSemaphore): SemaphoreHandle;
  /** Imports a semaphore from a handle; consumes it on success. */
  importSemaphore(handle: SemaphoreHandle): ExportableSemaphore;
  /** Creates a fence that can be exported. */
  createExportableFence(options?: FenceOptions): ExportableFence;
  /** Exports a fence to a new handle. */
  exportFence(fence: ExportableFence): FenceHandle;
  /** Imports a fence from a handle; consumes it on success. */
  importFence(handle: FenceHandle): ExportableFence;
  /** Frees every texture, semaphore and fence this manager still holds (idempotent). */
  dispose(): void;
}
