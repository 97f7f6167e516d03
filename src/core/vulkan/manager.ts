/**
 * The Vulkan backend: textures on exportable (opaque fd) device memory, exportable timeline and
 * binary semaphores and fences, GPU-side queue signal/wait, and CPU uploads/readbacks through a
 * staging buffer. Linux (fd handles); the Windows win32-handle path is native-only for now.
 *
 * @module
 */
import { describeTexture, validateDescriptor, type TextureDescriptor } from '../descriptor.js';
import { GeyserError } from '../errors.js';
import { formatInfo } from '../formats.js';
import { claimForRelease, trackHandle, untrackHandle } from '../handles.js';
import { TextureShareManagerBase } from '../manager-base.js';
import type { ManagerOptions } from '../manager.js';
import { awaitNative, callNative } from '../native.js';
import type {
  ApiTextureHandle,
  Capabilities,
  ExportableFence,
  ExportableSemaphore,
  ExportedHandle,
  FenceHandle,
  SemaphoreHandle,
  SharedTexture,
  TextureShareManager,
  VulkanTextureHandle,
} from '../types.js';
import { checkKnownKeys, expectedMessage, isPlainObject } from '../validate.js';
import { fdHelpers, SYNC_HANDLE_CODES, vulkanBinding, type NativeDevice, type NativeDeviceInfo, type NativeDeviceOptions } from './binding.js';
import { buildCapabilities } from './capabilities.js';
import { resolveDispatch, type ComputeDispatch } from './compute.js';
import { VulkanFence } from './fence.js';
import { formatIndex, usageMask } from './format-map.js';
import { checkSyncImport, checkTextureImport, markConsumed } from './import-checks.js';
import { resolveExisting, resolveFenceOptions, resolveSemaphoreOptions, type ExistingVulkanObjects, type VulkanFenceOptions, type VulkanSemaphoreOptions } from './options.js';
import { checkCounterValue, VulkanSemaphore } from './semaphore.js';
import { VulkanTexture } from './texture.js';

export { probeVulkan } from './probe.js';
export type { ExistingVulkanObjects, VulkanFenceOptions, VulkanSemaphoreOptions } from './options.js';
export type { ComputeDispatch, ComputePass, ComputePasses, ComputeBindings } from './compute.js';


/**
 * The Vulkan texture-share manager (the seed's `VulkanTextureShareManager`). Open one with
 * `createTextureShareManager({ backend: 'vulkan' })` or wrap an application's device with
 * {@link VulkanTextureShareManager.fromExisting}.
 *
 * Sharing protocol: between operations a texture rests in `VK_IMAGE_LAYOUT_GENERAL`, owned by
 * `VK_QUEUE_FAMILY_EXTERNAL`; each upload/readback acquires it first and releases it after.
 *
 * @example
 * ```ts
 * const manager = (await createTextureShareManager({ backend: 'vulkan' })) as VulkanTextureShareManager;
 * const texture = manager.createShareableTexture({ width: 256, height: 256, format: 'rgba8unorm', usage: ['copy-src', 'copy-dst'] });
 * manager.writeTexture(texture, new Uint8Array(256 * 256 * 4).fill(7));
 * const handle = manager.exportTexture(texture); // send to another process, then release
 * manager.dispose();
 * ```
 */
export class VulkanTextureShareManager extends TextureShareManagerBase {
  /** Always `'vulkan'`. */
  readonly backend = 'vulkan' as const;
  #device: NativeDevice;
  readonly #info: NativeDeviceInfo;
  #capabilities: Capabilities | undefined;

  /** @internal Use `createTextureShareManager` or {@link VulkanTextureShareManager.fromExisting}. */
  constructor(options: NativeDeviceOptions) {
    super();
    const binding = vulkanBinding();
    this.#device = callNative(() => new binding.Device(options));
    this.#info = callNative(() => this.#device.info());
  }

  /**
   * Wraps an application's own instance and device. Geyser never destroys them; `dispose()` frees
   * only what Geyser created on them.
   *
   * @example
   * ```ts
   * const manager = VulkanTextureShareManager.fromExisting({ instance, physicalDevice, device, queueFamilyIndex: 0 });
   * ```
   * @param objects - raw handles as bigint; see {@link ExistingVulkanObjects}
   * @throws {@link GeyserError} `InvalidDescriptor` for a malformed handle; `VulkanInitializationError`
   *   when the device lacks `VK_KHR_external_memory_fd`.
   */
  static fromExisting(objects: ExistingVulkanObjects): VulkanTextureShareManager {
    return new VulkanTextureShareManager({ deviceIndex: -1, deviceUuid: '', existing: resolveExisting(objects) });
  }

  /** The device's raw handles, e.g. to hand to {@link VulkanTextureShareManager.fromExisting}. @internal */
  rawHandles(): ExistingVulkanObjects {
    this.assertOpen();
    const raw = callNative(() => this.#device.rawHandles());
    return { instance: raw.instance, physicalDevice: raw.physicalDevice, device: raw.device, queueFamilyIndex: raw.queueFamilyIndex, apiVersion: raw.apiVersion };
  }

  /**
   * Live texture memory allocations on this manager's device (for leak checks).
   *
   * @throws {@link GeyserError} `Released` after dispose.
   */
  get liveAllocationCount(): number {
    this.assertOpen();
    return callNative(() => this.#device.liveAllocations());
  }

  /** What the device can do (queried once). */
  capabilities(): Capabilities {
    this.assertOpen();
    this.#capabilities ??= callNative(() => buildCapabilities(this.#device, this.#info));
    return this.#capabilities;
  }

  /**
   * Creates a texture on exportable memory (dedicated allocation, opaque fd).
   *
   * @throws {@link GeyserError} `InvalidDescriptor` for a bad descriptor; `FormatNotSupported` naming
   *   format, usage and reason where the device refuses the combination.
   */
  createShareableTexture(descriptor: TextureDescriptor): VulkanTexture {
    this.assertOpen();
    const valid = validateDescriptor(descriptor);
    const binding = vulkanBinding();
    const image = callNative(
      () => new binding.Image(this.#device, { width: valid.width, height: valid.height, formatIndex: formatIndex(valid.format), usageMask: usageMask(valid.usage), import: null }),
    );
    return this.adopt(new VulkanTexture(image, valid, false, this, (texture) => this.disown(texture)));
  }

  /**
   * Exports a texture to a new handle owning a new fd (release it with {@link releaseTextureHandle}).
   *
   * @throws {@link GeyserError} `Released` for a released texture; `InvalidTextureHandle` for another manager's.
   */
  exportTexture(texture: SharedTexture): VulkanTextureHandle {
    this.assertOpen();
    const image = this.#textureNative(texture);
    if (texture.imported) {
      // Imported memory was not allocated with VkExportMemoryAllocateInfo, so it cannot be re-exported.
      throw new GeyserError('OperationNotSupported', `${describeTexture(texture.descriptor)} was imported; export it from the process that created it`);
    }
    const fd = callNative(() => image.exportFd());
    const { vulkan, descriptor } = texture as VulkanTexture;
    return trackHandle(
      Object.freeze({
        backend: 'vulkan',
        kind: 'texture',
        rawHandle: fd,
        memoryTypeIndex: vulkan.memoryTypeIndex,
        size: vulkan.size,
        handleType: 'opaque-fd',
        dedicatedAllocation: vulkan.dedicated,
        deviceUuid: this.#info.deviceUuid,
        driverUuid: this.#info.driverUuid,
        width: descriptor.width,
        height: descriptor.height,
        format: descriptor.format,
        usage: descriptor.usage,
        tiling: 'optimal',
      } as const),
    );
  }

  /**
   * Imports a texture from a handle. Consumes the handle's fd on success; on failure the caller
   * still owns it.
   *
   * @throws {@link GeyserError} `DeviceMismatch` for another device/driver; `InvalidTextureHandle`
   *   for a malformed handle, a closed fd, a fd that is not Vulkan memory, a wrong size or memory
   *   type; `InvalidDescriptor` when the descriptor does not match the handle.
   */
  importTexture(handle: ApiTextureHandle, descriptor: TextureDescriptor): VulkanTexture {
    this.assertOpen();
    const valid = validateDescriptor(descriptor);
    const checked = checkTextureImport(handle, valid, this.#info);
    const binding = vulkanBinding();
    const image = callNative(
      () =>
        new binding.Image(this.#device, {
          width: valid.width,
          height: valid.height,
          formatIndex: formatIndex(valid.format),
          // The importer's image must be created exactly like the exporter's.
          usageMask: usageMask(checked.usage),
          import: { fd: checked.rawHandle, size: checked.size, memoryTypeIndex: checked.memoryTypeIndex, dedicated: checked.dedicatedAllocation },
        }),
    );
    markConsumed(handle);
    untrackHandle(handle);
    return this.adopt(new VulkanTexture(image, valid, true, this, (texture) => this.disown(texture)));
  }

  /**
   * Closes what an exported (or received, not imported) handle owns, exactly once.
   *
   * @throws {@link GeyserError} `InvalidTextureHandle` when the handle is not live in this process.
   */
  releaseTextureHandle(handle: ExportedHandle): void {
    const claimed = claimForRelease(handle) as ExportedHandle & { rawHandle: number };
    callNative(() => fdHelpers().closeFd(claimed.rawHandle));
  }

  /**
   * Uploads tightly packed rows into the texture (needs `copy-dst` usage).
   *
   * @throws {@link GeyserError} `OperationNotSupported` without copy-dst or for a non-copyable depth
   *   format; `InvalidDescriptor` for the wrong byte length; `Timeout` when the queue is blocked.
   */
  writeTexture(texture: SharedTexture, data: ArrayBufferView): void {
    this.assertOpen();
    const image = this.#textureNative(texture);
    this.#checkCopy(texture, 'copy-dst', 'writeTexture');
    if (!ArrayBuffer.isView(data)) throw new GeyserError('InvalidDescriptor', expectedMessage('an ArrayBufferView', 'data', data));
    const expected = formatInfo(texture.format).bytesPerTexel * texture.width * texture.height;
    if (data.byteLength !== expected) {
      throw new GeyserError(
        'InvalidDescriptor',
        `Expected ${expected} bytes (${texture.height} rows of ${expected / texture.height}) for data but received ${data.byteLength}`,
      );
    }
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    callNative(() => image.write(bytes));
  }

  /**
   * Reads the texture back as tightly packed rows (needs `copy-src` usage).
   *
   * @throws {@link GeyserError} `OperationNotSupported` without copy-src or for a non-copyable depth format.
   */
  readTexture(texture: SharedTexture): Uint8Array {
    this.assertOpen();
    const image = this.#textureNative(texture);
    this.#checkCopy(texture, 'copy-src', 'readTexture');
    const bytes = callNative(() => image.read());
    // A plain Uint8Array over the addon's own allocation (not a pooled Buffer).
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /**
   * {@link readTexture} into a buffer you own: the texels land straight in `target` (tightly packed
   * rows), with no allocation and no copy in JS, so a frame loop can read into reused buffers (an
   * encoder's, a pool's).
   *
   * @example
   * ```ts
   * const target = new Uint8Array(texture.width * texture.height * 4); // rgba8unorm
   * manager.readTextureInto(texture, target);
   * ```
   * @param texture - a texture of this manager with copy-src usage
   * @param target - a Uint8Array of exactly `width * height * bytesPerTexel` bytes (a view into a
   *   larger buffer is fine)
   * @returns `target`
   * @throws {@link GeyserError} `OperationNotSupported` without copy-src or for a non-copyable depth
   *   format; `InvalidDescriptor` when `target` is not a Uint8Array or has the wrong byte length;
   *   `Released` / `InvalidTextureHandle` for a released or foreign texture; `Timeout` when the queue is blocked.
   */
  readTextureInto(texture: SharedTexture, target: Uint8Array): Uint8Array {
    this.assertOpen();
    const image = this.#textureNative(texture);
    this.#checkCopy(texture, 'copy-src', 'readTextureInto');
    if (!(target instanceof Uint8Array)) throw new GeyserError('InvalidDescriptor', expectedMessage('a Uint8Array', 'target', target));
    const expected = formatInfo(texture.format).bytesPerTexel * texture.width * texture.height;
    if (target.byteLength !== expected) {
      throw new GeyserError(
        'InvalidDescriptor',
        `Expected ${expected} bytes (${texture.height} rows of ${expected / texture.height}) for target but received ${target.byteLength}`,
      );
    }
    callNative(() => image.readInto(target));
    return target;
  }

  /**
   * Creates an exportable semaphore (timeline by default).
   *
   * @throws {@link GeyserError} `OperationNotSupported` naming the missing extension or handle type
   *   (lavapipe: no VK_KHR_external_semaphore_fd).
   */
  createExportableSemaphore(options: VulkanSemaphoreOptions = {}): VulkanSemaphore {
    this.assertOpen();
    const { timeline, initialValue, handleType } = resolveSemaphoreOptions(options);
    const binding = vulkanBinding();
    const semaphore = callNative(
      () => new binding.Semaphore(this.#device, { timeline, initialValue, handleType: SYNC_HANDLE_CODES[handleType], importFd: -1, exportable: true }),
    );
    return this.adopt(new VulkanSemaphore(semaphore, timeline, handleType, false, this, (s) => this.disown(s)));
  }

  /**
   * Creates a timeline semaphore that stays in this process (it cannot be exported), for ordering
   * work on this manager's queue with {@link submitWait}/{@link submitSignal} and host waits. Works
   * on any device with timeline semaphores, lavapipe included.
   *
   * @example
   * ```ts
   * const done = manager.createLocalSemaphore();
   * manager.submitSignal(done, 1); // after everything queued so far
   * await done.wait(1, 1000);
   * ```
   * @param options - `initialValue` (default 0)
   * @throws {@link GeyserError} `OperationNotSupported` without the timelineSemaphore feature.
   */
  createLocalSemaphore(options: { initialValue?: number } = {}): VulkanSemaphore {
    this.assertOpen();
    if (!isPlainObject(options)) throw new TypeError(expectedMessage('an options object', 'options', options));
    checkKnownKeys(options, ['initialValue'], 'createLocalSemaphore');
    const initialValue = checkCounterValue(options.initialValue ?? 0, 'initialValue');
    const binding = vulkanBinding();
    const semaphore = callNative(() => new binding.Semaphore(this.#device, { timeline: true, initialValue, handleType: 0, importFd: -1, exportable: false }));
    return this.adopt(new VulkanSemaphore(semaphore, true, 'opaque-fd', false, this, (s) => this.disown(s)));
  }

  /** Exports a semaphore to a new handle (the caller owns its fd). @throws {@link GeyserError} `Released`. */
  exportSemaphore(semaphore: ExportableSemaphore): SemaphoreHandle {
    this.assertOpen();
    const native = this.#semaphoreNative(semaphore);
    if (semaphore.imported) throw new GeyserError('OperationNotSupported', 'the semaphore was imported; export it from the process that created it');
    const fd = callNative(() => native.exportFd());
    const { timeline, handleType } = semaphore as VulkanSemaphore;
    return trackHandle(Object.freeze({ backend: 'vulkan', kind: 'semaphore', rawHandle: fd, handleType, timeline } as const));
  }

  /** Imports a semaphore; consumes the fd on success. @throws {@link GeyserError} `InvalidTextureHandle`, `OperationNotSupported`. */
  importSemaphore(handle: SemaphoreHandle): VulkanSemaphore {
    this.assertOpen();
    const { fd, handleType } = checkSyncImport(handle, 'semaphore');
    const binding = vulkanBinding();
    const timeline = handle.timeline;
    const semaphore = callNative(() => new binding.Semaphore(this.#device, { timeline, initialValue: 0, handleType: SYNC_HANDLE_CODES[handleType], importFd: fd, exportable: true }));
    markConsumed(handle);
    untrackHandle(handle);
    return this.adopt(new VulkanSemaphore(semaphore, timeline, handleType, true, this, (s) => this.disown(s)));
  }

  /**
   * Creates an exportable fence.
   *
   * @throws {@link GeyserError} `OperationNotSupported` naming the missing extension (lavapipe: no VK_KHR_external_fence_fd).
   */
  createExportableFence(options: VulkanFenceOptions = {}): VulkanFence {
    this.assertOpen();
    const { signaled, handleType } = resolveFenceOptions(options);
    const binding = vulkanBinding();
    const fence = callNative(() => new binding.Fence(this.#device, { signaled, handleType: SYNC_HANDLE_CODES[handleType], importFd: -1 }));
    return this.adopt(new VulkanFence(fence, handleType, false, this, (f) => this.disown(f)));
  }

  /** Exports a fence to a new handle (the caller owns its fd). @throws {@link GeyserError} `Released`. */
  exportFence(fence: ExportableFence): FenceHandle {
    this.assertOpen();
    const native = this.#fenceNative(fence);
    if (fence.imported) throw new GeyserError('OperationNotSupported', 'the fence was imported; export it from the process that created it');
    const fd = callNative(() => native.exportFd());
    return trackHandle(Object.freeze({ backend: 'vulkan', kind: 'fence', rawHandle: fd, handleType: (fence as VulkanFence).handleType } as const));
  }

  /** Imports a fence; consumes the fd on success. @throws {@link GeyserError} `InvalidTextureHandle`, `OperationNotSupported`. */
  importFence(handle: FenceHandle): VulkanFence {
    this.assertOpen();
    const { fd, handleType } = checkSyncImport(handle, 'fence');
    const binding = vulkanBinding();
    const fence = callNative(() => new binding.Fence(this.#device, { signaled: false, handleType: SYNC_HANDLE_CODES[handleType], importFd: fd }));
    markConsumed(handle);
    untrackHandle(handle);
    return this.adopt(new VulkanFence(fence, handleType, true, this, (f) => this.disown(f)));
  }

  /**
   * GPU-side signal: an empty queue submission that sets `semaphore` to `value` once everything
   * submitted before it on this manager's queue (uploads, readbacks, waits) has completed.
   *
   * @example
   * ```ts
   * manager.submitWait(semaphore, frame);      // GPU waits for the peer's value...
   * manager.submitSignal(semaphore, frame + 1); // ...then signals ours, no host round trip
   * ```
   * @param semaphore - a semaphore of this manager
   * @param value - the value to signal (timeline)
   * @throws {@link GeyserError} `Released`; `InvalidTextureHandle` for another manager's semaphore.
   */
  submitSignal(semaphore: ExportableSemaphore, value: number): void {
    this.assertOpen();
    const native = this.#semaphoreNative(semaphore);
    checkCounterValue(value, 'value');
    callNative(() => this.#device.submitSignal(native, value));
  }

  /**
   * GPU-side wait: an empty queue submission that holds every later submission of this manager's
   * queue until `semaphore` reaches `value`. Returns at once; the host does not block.
   *
   * @param semaphore - a semaphore of this manager
   * @param value - the value to wait for (timeline)
   * @throws {@link GeyserError} `Released`; `InvalidTextureHandle` for another manager's semaphore.
   */
  submitWait(semaphore: ExportableSemaphore, value: number): void {
    this.assertOpen();
    const native = this.#semaphoreNative(semaphore);
    checkCounterValue(value, 'value');
    callNative(() => this.#device.submitWait(native, value));
  }

  /**
   * Runs a compute shader over storage textures on this manager's queue and waits for it. Work
   * queued before it (uploads, `submitWait`) runs first; each texture is acquired from and released
   * back to external ownership around the dispatch, as uploads do, so other processes see the
   * result. The pipeline is built once per distinct SPIR-V and cached.
   *
   * @example
   * ```ts
   * const usage = ['storage-binding', 'copy-src', 'copy-dst'] as const;
   * const src = manager.createShareableTexture({ width: 64, height: 48, format: 'rgba8unorm', usage: [...usage] });
   * const dst = manager.createShareableTexture({ width: 64, height: 48, format: 'rgba8unorm', usage: [...usage] });
   * manager.dispatchCompute({ spirv, textures: [src, dst], pushConstants: new Int32Array([3]), groups: [4, 3, 1] });
   * // Two passes in one submission, the second seeing what the first wrote:
   * manager.dispatchCompute({ textures: [src, dst], passes: [{ spirv: first, groups: [4, 3, 1] }, { spirv: second, groups: [1, 1, 1] }] });
   * ```
   * @param dispatch - `spirv` (a GLCompute `main` whose set 0 is storage images at bindings
   *   0..n-1), `textures` (binding i = textures[i], 1 to 4, each with storage-binding usage),
   *   `pushConstants` (at most 128 bytes, a multiple of 4; default none; zero-padded to 128),
   *   `groups` ([x, y, z], each 1 to 65535), `storageBuffer` (optional typed array bound after the
   *   textures; the shader's result is copied back into it); or, instead of `spirv`,
   *   `pushConstants` and `groups`, `passes`: 1 to 8 of them, run in order over the same bindings
   *   with a memory barrier between each, in one submission
   * @throws {@link GeyserError} `InvalidDescriptor` naming the field (malformed SPIR-V, texture
   *   count not matching the shader's bindings, push constants too large, bad groups, passes or
   *   storageBuffer);
   *   `OperationNotSupported` for a texture without storage-binding usage; `Released` /
   *   `InvalidTextureHandle` for a released or foreign texture; `Timeout` when the queue is blocked.
   */
  dispatchCompute(dispatch: ComputeDispatch): void {
    this.assertOpen();
    const resolved = resolveDispatch(dispatch, (texture) => this.#textureNative(texture));
    callNative(() => this.#device.dispatchCompute(resolved));
  }

  /**
   * {@link dispatchCompute} without blocking the JS thread: validates at once (throwing the same
   * errors synchronously), then records, submits and waits for the fence on a worker thread.
   * Releasing a texture meanwhile is safe (its memory is freed when the dispatch completes). Other
   * uploads, readbacks and dispatches of this manager wait for it. A `storageBuffer` receives the
   * shader's result when the promise resolves; do not touch it before.
   *
   * @example
   * ```ts
   * await manager.dispatchComputeAsync({ spirv, textures: [src, dst], groups: [80, 45, 1] });
   * ```
   * @param dispatch - as for {@link dispatchCompute}
   * @throws {@link GeyserError} as {@link dispatchCompute}; the promise rejects with `Timeout` when
   *   the queue stays blocked for 10 s, or a `VulkanApiError`.
   */
  dispatchComputeAsync(dispatch: ComputeDispatch): Promise<void> {
    this.assertOpen();
    const resolved = resolveDispatch(dispatch, (texture) => this.#textureNative(texture));
    return awaitNative(callNative(() => this.#device.dispatchComputeAsync(resolved)));
  }

  /**
   * Compute pipelines cached on the device (one per distinct SPIR-V and texture count).
   *
   * @internal
   */
  get computePipelineCount(): number {
    this.assertOpen();
    return callNative(() => this.#device.cachedPipelines());
  }

  /** Closes the device (after the base class released every texture, semaphore and fence). */
  protected disposeBackend(): void {
    callNative(() => this.#device.close());
  }

  #textureNative(texture: SharedTexture) {
    if (!(texture instanceof VulkanTexture)) {
      throw new GeyserError('InvalidTextureHandle', expectedMessage('a texture of the Vulkan backend', 'texture', texture));
    }
    return texture.nativeFor(this);
  }

  #semaphoreNative(semaphore: ExportableSemaphore) {
    if (!(semaphore instanceof VulkanSemaphore)) {
      throw new GeyserError('InvalidTextureHandle', expectedMessage('a semaphore of the Vulkan backend', 'semaphore', semaphore));
    }
    return semaphore.nativeFor(this);
  }

  #fenceNative(fence: ExportableFence) {
    if (!(fence instanceof VulkanFence)) throw new GeyserError('InvalidTextureHandle', expectedMessage('a fence of the Vulkan backend', 'fence', fence));
    return fence.nativeFor(this);
  }

  #checkCopy(texture: SharedTexture, usage: 'copy-src' | 'copy-dst', call: string): void {
    if (!formatInfo(texture.format).copyable) {
      throw new GeyserError('OperationNotSupported', `${call}: ${texture.format} texels cannot be copied to or from the CPU (the driver chooses their layout)`);
    }
    if (!texture.usage.includes(usage)) {
      throw new GeyserError('OperationNotSupported', `${call}: ${describeTexture(texture.descriptor)} was created without ${usage} usage`);
    }
  }
}

/** Opens the Vulkan backend for `createTextureShareManager({ backend: 'vulkan' })`. @internal */
export async function openVulkanManager(options: ManagerOptions): Promise<TextureShareManager> {
  return new VulkanTextureShareManager({ deviceIndex: options.deviceIndex ?? -1, deviceUuid: options.deviceUuid?.toLowerCase() ?? '', existing: null });
}
