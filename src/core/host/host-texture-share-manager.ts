/**
 * `HostTextureShareManager`: the host backend. Textures are sealed memfds mapped shared; sync
 * objects are futex words on sealed memfd pages. Works on any Linux, with no GPU.
 *
 * @module
 */
import { debuglog } from 'node:util';
import { describeTexture, validateDescriptor, type TextureDescriptor, type ValidatedDescriptor } from '../descriptor.js';
import { GeyserError } from '../errors.js';
import { ALL_FORMATS, formatInfo, textureByteLength, type TextureFormat } from '../formats.js';
import { claimForRelease, trackHandle, untrackHandle } from '../handles.js';
import { TextureShareManagerBase } from '../manager-base.js';
import { callNative } from '../native.js';
import type {
  Capabilities,
  ExportableFence,
  ExportableSemaphore,
  ExportedHandle,
  FenceHandle,
  FenceOptions,
  HostTextureHandle,
  SemaphoreHandle,
  SemaphoreOptions,
  SharedTexture,
} from '../types.js';
import { checkKnownKeys, describeValue, expectedMessage, invalid, isPlainObject } from '../validate.js';
import { checkFenceHandle, checkSemaphoreHandle, checkTextureHandle } from './handle-checks.js';
import { HostFence } from './host-fence.js';
import { fdNative, hostNative, NativeSyncKind } from './host-native.js';
import { HostSemaphore } from './host-semaphore.js';
import { HostTexture } from './host-texture.js';
import { counterArgument } from './sync-arguments.js';

/** `NODE_DEBUG=geyser` shows every export, import and handle release. */
const debug = debuglog('geyser');

/** Why the two opaque depth formats cannot live in host memory. */
function unsupportedReason(format: TextureFormat): string {
  return `${format} is not supported by the host backend: its memory layout is implementation-defined (as in WebGPU), so it has no CPU byte layout to share; use depth32float`;
}

/**
 * The host (memfd shared memory) texture-share manager. Get one with
 * `createTextureShareManager({ backend: 'host' })`; `'auto'` picks it when no GPU Vulkan device is
 * usable. A texture's memory is CPU memory shared between processes: an importer sees the
 * exporter's writes with no copy, and {@link HostTextureShareManager.mapTexture} gives a view of it.
 *
 * Ownership of fds: every export returns a handle owning a new fd (free it with
 * {@link HostTextureShareManager.releaseTextureHandle}); an import consumes the handle's fd on
 * success, and on failure the caller still owns it.
 *
 * @example
 * ```ts
 * import { createTextureShareManager } from 'geyser';
 * const manager = await createTextureShareManager({ backend: 'host' });
 * const texture = manager.createShareableTexture({ width: 1920, height: 1080, format: 'rgba8unorm', usage: ['copy-src', 'copy-dst'] });
 * const handle = manager.exportTexture(texture); // send it through a ShareChannel
 * manager.dispose();
 * ```
 */
export class HostTextureShareManager extends TextureShareManagerBase {
  /** Always `'host'`. */
  readonly backend = 'host' as const;

  /**
   * What the host backend can do: every CPU-copyable format, memfd export of memory, timeline
   * semaphores and fences.
   *
   * @example
   * ```ts
   * manager.capabilities().device.name; // 'host shared memory (memfd)'
   * ```
   * @throws {@link GeyserError} `Released` after dispose.
   */
  capabilities(): Capabilities {
    this.assertOpen();
    const formats: Capabilities['formats'] = {};
    const unsupportedFormats: Capabilities['unsupportedFormats'] = {};
    for (const format of ALL_FORMATS) {
      if (formatInfo(format).copyable) formats[format] = { copyable: true };
      else unsupportedFormats[format] = unsupportedReason(format);
    }
    return {
      backend: 'host',
      device: { index: 0, name: 'host shared memory (memfd)', type: 'cpu' },
      formats,
      unsupportedFormats,
      memory: { exportable: true, handleTypes: ['memfd'] },
      semaphore: { exportable: true, timeline: true, handleTypes: ['memfd'] },
      fence: { exportable: true, handleTypes: ['memfd'] },
      cpuMappable: true,
    };
  }

  /**
   * Creates a texture in a new sealed memfd, zero-filled.
   *
   * @example
   * ```ts
   * const texture = manager.createShareableTexture({ width: 64, height: 64, format: 'rgba8unorm', usage: ['copy-dst'], label: 'cam0' });
   * ```
   * @param descriptor - size, format, usage, label
   * @throws {@link GeyserError} `InvalidDescriptor` naming the bad field; `FormatNotSupported` for
   *   depth24plus / depth24plus-stencil8; `Released` after dispose.
   */
  createShareableTexture(descriptor: TextureDescriptor): HostTexture {
    this.assertOpen();
    const checked = this.#checkDescriptor(descriptor);
    const size = textureByteLength(checked.format, checked.width, checked.height);
    const nativeTexture = callNative(() => new (hostNative().HostTextureNative)(size, -1));
    return this.adopt(new HostTexture(nativeTexture, checked, false, (texture) => this.disown(texture)));
  }

  /**
   * Exports a texture to a handle owning a new fd (close it with
   * {@link HostTextureShareManager.releaseTextureHandle} unless an import consumes it).
   *
   * @example
   * ```ts
   * const handle = manager.exportTexture(texture);
   * await channel.send({ kind: 'texture' }, [handle]);
   * manager.releaseTextureHandle(handle);
   * ```
   * @param texture - a host texture that is not released
   * @throws {@link GeyserError} `InvalidTextureHandle` for a texture of another backend; `Released`
   *   after the texture's release or the manager's dispose.
   */
  exportTexture(texture: SharedTexture): HostTextureHandle {
    this.assertOpen();
    const host = this.#hostTexture(texture);
    const fd = host.exportFd();
    debug('host: exported %s as fd %d', describeTexture(host.descriptor), fd);
    return trackHandle(
      Object.freeze({ backend: 'host', kind: 'texture', rawHandle: fd, handleType: 'memfd', size: host.byteLength, width: host.width, height: host.height, format: host.format }),
    );
  }

  /**
   * Imports a texture from a handle (received through a ShareChannel or an inherited fd). The
   * memfd is checked first: open, a sealed geyser-texture memfd, large enough. The import consumes
   * the handle's fd on success; on failure the caller still owns it.
   *
   * @example
   * ```ts
   * const { handles } = await channel.receive();
   * const texture = manager.importTexture(handles[0], { width: 1920, height: 1080, format: 'rgba8unorm', usage: ['copy-src'] });
   * ```
   * @param handle - a host texture handle
   * @param descriptor - must describe the same size and format as the handle
   * @throws {@link GeyserError} `InvalidTextureHandle` naming what is wrong with the handle or its fd
   *   ("fd 57 is not open", "fd 31 is a geyser-semaphore memfd, not a texture", ...);
   *   `InvalidDescriptor` when the descriptor does not match the handle; `FormatNotSupported`.
   */
  importTexture(handle: HostTextureHandle, descriptor: TextureDescriptor): HostTexture {
    this.assertOpen();
    const checked = this.#checkDescriptor(descriptor);
    const valid = checkTextureHandle(handle, checked);
    const nativeTexture = callNative(() => new (hostNative().HostTextureNative)(valid.size, valid.rawHandle));
    untrackHandle(handle);
    debug('host: imported %s from fd %d', describeTexture(checked), valid.rawHandle);
    return this.adopt(new HostTexture(nativeTexture, checked, true, (texture) => this.disown(texture)));
  }

  /**
   * Closes the fd an exported (or received, not imported) handle owns, exactly once.
   *
   * @example
   * ```ts
   * manager.releaseTextureHandle(handle);
   * ```
   * @param handle - a live handle from an export in this process
   * @throws {@link GeyserError} `InvalidTextureHandle` for a handle already released, consumed by an
   *   import, or never exported here.
   */
  releaseTextureHandle(handle: ExportedHandle): void {
    // claimForRelease has checked that the handle has a numeric rawHandle.
    const claimed = claimForRelease(handle) as ExportedHandle & { rawHandle: number };
    callNative(() => fdNative().closeFd(claimed.rawHandle));
    debug('host: released %s handle fd %d', claimed.kind, claimed.rawHandle);
  }

  /**
   * Copies tightly packed rows into the texture.
   *
   * @example
   * ```ts
   * manager.writeTexture(texture, new Uint8Array(texture.width * texture.height * 4).fill(255));
   * ```
   * @param texture - a host texture that is not released
   * @param data - exactly width x height x bytesPerTexel bytes
   * @throws {@link GeyserError} `InvalidDescriptor` naming both byte counts when the length is
   *   wrong; `Released` after release.
   */
  writeTexture(texture: SharedTexture, data: ArrayBufferView): void {
    this.assertOpen();
    const view = this.#hostTexture(texture).mappedView();
    if (!ArrayBuffer.isView(data)) invalid('an ArrayBufferView (such as a Uint8Array)', 'data', data);
    if (data.byteLength !== view.byteLength) {
      throw new GeyserError(
        'InvalidDescriptor',
        `Expected ${view.byteLength} bytes (${texture.width} x ${texture.height} x ${formatInfo(texture.format).bytesPerTexel} bytes per texel of ${texture.format}) for data of ${describeTexture(texture.descriptor)} but received ${data.byteLength} bytes`,
      );
    }
    view.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  /**
   * Copies the texture out as tightly packed rows.
   *
   * @example
   * ```ts
   * const bytes = manager.readTexture(texture); // a copy, unaffected by later writes
   * ```
   * @param texture - a host texture that is not released
   * @throws {@link GeyserError} `Released` after release.
   */
  readTexture(texture: SharedTexture): Uint8Array {
    this.assertOpen();
    return this.#hostTexture(texture).mappedView().slice();
  }

  /**
   * The texture's shared memory itself, as a view (zero copy): writes through it are seen by every
   * process that imported the texture, and theirs are seen here. The view becomes length 0 once
   * the texture is released (the memory is unmapped only after that).
   *
   * @example
   * ```ts
   * const pixels = manager.mapTexture(texture);
   * pixels[0] = 255; // the peer process sees it
   * ```
   * @param texture - a host texture that is not released
   * @throws {@link GeyserError} `Released` after release.
   */
  mapTexture(texture: SharedTexture): Uint8Array {
    this.assertOpen();
    return this.#hostTexture(texture).mappedView();
  }

  /**
   * Creates a semaphore on a shared page: timeline (default) or binary.
   *
   * @example
   * ```ts
   * const semaphore = manager.createExportableSemaphore({ timeline: true, initialValue: 0 });
   * ```
   * @param options - `timeline` (default true), `initialValue` (timeline: 0 to 2^53-1; binary: 0 or 1; default 0)
   * @throws `TypeError` for an unknown option; {@link GeyserError} `Other` for a bad value.
   */
  createExportableSemaphore(options: SemaphoreOptions = {}): HostSemaphore {
    this.assertOpen();
    if (!isPlainObject(options)) throw new TypeError(expectedMessage('an options object', 'options', options));
    checkKnownKeys(options, ['timeline', 'initialValue'], 'createExportableSemaphore');
    const timeline = options.timeline ?? true;
    if (typeof timeline !== 'boolean') invalid('a boolean', 'options.timeline', timeline, 'Other');
    const initial = timeline ? counterArgument(options.initialValue ?? 0, 'options.initialValue') : binaryInitial(options.initialValue);
    const kind = timeline ? NativeSyncKind.Timeline : NativeSyncKind.Binary;
    const nativeSync = callNative(() => new (hostNative().HostSyncNative)(kind, initial, -1));
    return this.adopt(new HostSemaphore(nativeSync, timeline, false, (semaphore) => this.disown(semaphore)));
  }

  /**
   * Exports a semaphore to a handle owning a new fd.
   *
   * @example
   * ```ts
   * const handle = manager.exportSemaphore(semaphore);
   * ```
   * @param semaphore - a host semaphore that is not released
   * @throws {@link GeyserError} `InvalidTextureHandle` for another backend's semaphore; `Released`.
   */
  exportSemaphore(semaphore: ExportableSemaphore): SemaphoreHandle {
    this.assertOpen();
    if (!(semaphore instanceof HostSemaphore)) invalid('a host semaphore', 'semaphore', semaphore, 'InvalidTextureHandle');
    const fd = semaphore.exportFd();
    return trackHandle(Object.freeze({ backend: 'host', kind: 'semaphore', rawHandle: fd, handleType: 'memfd', timeline: semaphore.timeline }));
  }

  /**
   * Imports a semaphore from a handle; its page header is checked. Consumes the fd on success only.
   *
   * @example
   * ```ts
   * const semaphore = manager.importSemaphore(handle);
   * await semaphore.wait(1);
   * ```
   * @param handle - a host semaphore handle
   * @throws {@link GeyserError} `InvalidTextureHandle` naming what is wrong ("fd 31 is a
   *   geyser-texture memfd, not a semaphore", "fd 9 holds a binary semaphore, not a timeline semaphore").
   */
  importSemaphore(handle: SemaphoreHandle): HostSemaphore {
    this.assertOpen();
    const valid = checkSemaphoreHandle(handle);
    const kind = valid.timeline ? NativeSyncKind.Timeline : NativeSyncKind.Binary;
    const nativeSync = callNative(() => new (hostNative().HostSyncNative)(kind, 0, valid.rawHandle));
    untrackHandle(handle);
    return this.adopt(new HostSemaphore(nativeSync, valid.timeline, true, (semaphore) => this.disown(semaphore)));
  }

  /**
   * Creates a fence on a shared page.
   *
   * @example
   * ```ts
   * const fence = manager.createExportableFence({ signaled: false });
   * ```
   * @param options - `signaled` (default false)
   * @throws `TypeError` for an unknown option; {@link GeyserError} `Other` for a bad value.
   */
  createExportableFence(options: FenceOptions = {}): HostFence {
    this.assertOpen();
    if (!isPlainObject(options)) throw new TypeError(expectedMessage('an options object', 'options', options));
    checkKnownKeys(options, ['signaled'], 'createExportableFence');
    const signaled = options.signaled ?? false;
    if (typeof signaled !== 'boolean') invalid('a boolean', 'options.signaled', signaled, 'Other');
    const nativeSync = callNative(() => new (hostNative().HostSyncNative)(NativeSyncKind.Fence, signaled ? 1 : 0, -1));
    return this.adopt(new HostFence(nativeSync, false, (fence) => this.disown(fence)));
  }

  /**
   * Exports a fence to a handle owning a new fd.
   *
   * @example
   * ```ts
   * const handle = manager.exportFence(fence);
   * ```
   * @param fence - a host fence that is not released
   * @throws {@link GeyserError} `InvalidTextureHandle` for another backend's fence; `Released`.
   */
  exportFence(fence: ExportableFence): FenceHandle {
    this.assertOpen();
    if (!(fence instanceof HostFence)) invalid('a host fence', 'fence', fence, 'InvalidTextureHandle');
    const fd = fence.exportFd();
    return trackHandle(Object.freeze({ backend: 'host', kind: 'fence', rawHandle: fd, handleType: 'memfd' }));
  }

  /**
   * Imports a fence from a handle; its page header is checked. Consumes the fd on success only.
   *
   * @example
   * ```ts
   * const fence = manager.importFence(handle);
   * await fence.wait(1000);
   * ```
   * @param handle - a host fence handle
   * @throws {@link GeyserError} `InvalidTextureHandle` naming what is wrong with the handle or fd.
   */
  importFence(handle: FenceHandle): HostFence {
    this.assertOpen();
    const valid = checkFenceHandle(handle);
    const nativeSync = callNative(() => new (hostNative().HostSyncNative)(NativeSyncKind.Fence, 0, valid.rawHandle));
    untrackHandle(handle);
    return this.adopt(new HostFence(nativeSync, true, (fence) => this.disown(fence)));
  }

  /** Nothing beyond the resources the base class releases: the host has no device to close. */
  protected disposeBackend(): void {}

  #checkDescriptor(descriptor: TextureDescriptor): ValidatedDescriptor {
    const checked = validateDescriptor(descriptor);
    if (!formatInfo(checked.format).copyable) throw new GeyserError('FormatNotSupported', unsupportedReason(checked.format));
    return checked;
  }

  #hostTexture(texture: SharedTexture): HostTexture {
    if (!(texture instanceof HostTexture)) {
      const what = typeof texture === 'object' && texture !== null && 'backend' in texture ? `a ${String(texture.backend)} texture` : describeValue(texture);
      throw new GeyserError('InvalidTextureHandle', `Expected a host texture for texture but received ${what}`);
    }
    texture.assertAlive();
    return texture;
  }
}

function binaryInitial(value: unknown): number {
  if (value === undefined || value === 0 || value === 1) return (value ?? 0) as number;
  return invalid('0 or 1 (a binary semaphore)', 'options.initialValue', value, 'Other');
}
