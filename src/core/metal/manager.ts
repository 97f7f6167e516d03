/**
 * The Metal backend (macOS): IOSurface-backed textures shared by global IOSurface ID, and
 * MTLSharedEvent timelines for sync. The native half is `native/metal/` and builds only on macOS;
 * elsewhere this module reports why it cannot open.
 *
 * Not verified on macOS by this project's CI (no macOS machine is available to it).
 *
 * @module
 */
import { describeTexture, validateDescriptor, type TextureDescriptor, type ValidatedDescriptor } from '../descriptor.js';
import { GeyserError } from '../errors.js';
import { formatInfo } from '../formats.js';
import { TextureShareManagerBase } from '../manager-base.js';
import { TextureBase } from '../texture-base.js';
import { awaitNative, callNative, native } from '../native.js';
import type { BackendVerdict } from '../backend-choice.js';
import type { ManagerOptions } from '../manager.js';
import type {
  ApiTextureHandle,
  BackendName,
  Capabilities,
  ExportableFence,
  ExportableSemaphore,
  ExportedHandle,
  FenceHandle,
  MetalTextureHandle,
  SemaphoreHandle,
  SharedTexture,
  TextureShareManager,
} from '../types.js';
import { ALL_USAGES, type TextureUsage } from '../usages.js';

interface NativeMetalDevice {
  info(): { name: string; registryId: string; lowPower: boolean; unifiedMemory: boolean };
  createTexture(desc: { width: number; height: number; format: string; usageBits: number }): { id: number; ioSurfaceId: number };
  importTexture(desc: { ioSurfaceId: number; width: number; height: number; format: string; usageBits: number }): number;
  writeTexture(id: number, data: Uint8Array): void;
  readTexture(id: number): Uint8Array;
  releaseTexture(id: number): void;
  createEvent(initial: number): number;
  signalEvent(id: number, value: number): void;
  eventValue(id: number): number;
  waitEvent(id: number, value: number, timeoutMs: number): Promise<boolean>;
  releaseEvent(id: number): void;
  dispose(): void;
}

interface NativeMetal {
  available: boolean;
  reason?: string;
  MetalDevice?: new (index: number) => NativeMetalDevice;
}

function metalAddon(): NativeMetal {
  return (native().metal as NativeMetal | undefined) ?? { available: false, reason: 'the addon has no Metal exports' };
}

function usageBits(usage: readonly TextureUsage[]): number {
  return usage.reduce((bits, entry) => bits | (1 << ALL_USAGES.indexOf(entry)), 0);
}

class MetalTexture extends TextureBase {
  readonly backend: BackendName = 'metal';
  #released = false;
  constructor(
    readonly descriptor: ValidatedDescriptor,
    readonly nativeId: number,
    readonly ioSurfaceId: number,
    readonly imported: boolean,
    private readonly free: (texture: MetalTexture) => void,
  ) {
    super();
  }
  get released(): boolean { return this.#released; }
  assertLive(): void {
    if (this.#released) throw new GeyserError('Released', `${describeTexture(this.descriptor)} has been released`);
  }
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.free(this);
  }
}

class MetalEvent implements ExportableSemaphore {
  readonly backend: BackendName = 'metal';
  readonly timeline = true;
  readonly imported = false;
  #released = false;
  constructor(private readonly device: NativeMetalDevice, private readonly id: number) {}
  get value(): number { this.assertLive(); return this.device.eventValue(this.id); }
  signal(value: number): void {
    this.assertLive();
    if (value <= this.value) throw new GeyserError('InvalidDescriptor', `a timeline only grows: cannot signal ${value} at ${this.value}`);
    this.device.signalEvent(this.id, value);
  }
  async wait(value: number, timeoutMs = -1): Promise<void> {
    this.assertLive();
    const reached = await awaitNative(this.device.waitEvent(this.id, value, timeoutMs));
    if (!reached) throw new GeyserError('Timeout', `MTLSharedEvent did not reach ${value} within ${timeoutMs} ms (it is at ${this.value})`);
  }
  private assertLive(): void {
    if (this.#released) throw new GeyserError('Released', 'the Metal shared event has been released');
  }
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.device.releaseEvent(this.id);
  }
  [Symbol.dispose](): void { this.release(); }
}

const NO_XPC = 'an MTLSharedEventHandle crosses processes only over XPC, which Geyser does not carry yet';

/**
 * Texture sharing on Metal via global IOSurface IDs.
 *
 * @example
 * ```ts
 * const manager = await createTextureShareManager({ backend: 'metal' }); // macOS only
 * const texture = manager.createShareableTexture({ width: 256, height: 256, format: 'bgra8unorm', usage: ['render-attachment'] });
 * const handle = manager.exportTexture(texture); // { backend: 'metal', ioSurfaceId, ... }
 * ```
 */
export class MetalTextureShareManager extends TextureShareManagerBase {
  readonly backend = 'metal' as const;
  readonly #device: NativeMetalDevice;

  /** @param device - the native device (from `openMetalManager`) */
  constructor(device: NativeMetalDevice) {
    super();
    this.#device = device;
  }

  capabilities(): Capabilities {
    const info = this.#device.info();
    const formats: Capabilities['formats'] = {};
    const unsupportedFormats: Capabilities['unsupportedFormats'] = {};
    for (const format of ['rgba8unorm', 'bgra8unorm', 'rgba8unorm-srgb', 'bgra8unorm-srgb', 'r8unorm', 'rg8unorm', 'r16float', 'rg16float', 'rgba16float', 'r16uint', 'r16sint', 'r32float', 'rg32float', 'rgba32float', 'r32uint', 'r32sint', 'rgb10a2unorm', 'rg11b10ufloat'] as const) {
      formats[format] = { copyable: true };
    }
    for (const format of ['depth32float', 'depth24plus', 'depth24plus-stencil8'] as const) unsupportedFormats[format] = 'depth formats cannot back an IOSurface';
    return {
      backend: 'metal',
      device: { index: 0, name: info.name, type: info.unifiedMemory ? 'integrated-gpu' : 'discrete-gpu', deviceUuid: undefined, driverUuid: undefined },
      formats,
      unsupportedFormats,
      memory: { exportable: true, handleTypes: ['iosurface'] },
      semaphore: { exportable: false, timeline: true, handleTypes: [], reason: NO_XPC },
      fence: { exportable: false, handleTypes: [], reason: 'Metal has no fences; use shared events' },
      cpuMappable: false,
    };
  }

  createShareableTexture(descriptor: TextureDescriptor): SharedTexture {
    this.assertOpen();
    const desc = validateDescriptor(descriptor);
    const made = callNative(() => this.#device.createTexture({ width: desc.width, height: desc.height, format: desc.format, usageBits: usageBits(desc.usage) }));
    return this.adopt(new MetalTexture(desc, made.id, made.ioSurfaceId, false, (t) => this.#free(t)));
  }

  exportTexture(texture: SharedTexture): MetalTextureHandle {
    const tex = this.#own(texture);
    return { backend: 'metal', kind: 'texture', ioSurfaceId: tex.ioSurfaceId, handleType: 'iosurface', width: tex.width, height: tex.height, format: tex.format };
  }

  importTexture(handle: ApiTextureHandle, descriptor: TextureDescriptor): SharedTexture {
    this.assertOpen();
    if (handle?.backend !== 'metal') throw new GeyserError('InvalidTextureHandle', `Expected a metal texture handle but received a ${String(handle?.backend)} handle`);
    const desc = validateDescriptor(descriptor);
    const id = callNative(() => this.#device.importTexture({ ioSurfaceId: handle.ioSurfaceId, width: desc.width, height: desc.height, format: desc.format, usageBits: usageBits(desc.usage) }));
    return this.adopt(new MetalTexture(desc, id, handle.ioSurfaceId, true, (t) => this.#free(t)));
  }

  releaseTextureHandle(handle: ExportedHandle): void {
    // A global IOSurface ID owns nothing in this process; the surface lives while a texture does.
    if (handle?.backend !== 'metal') throw new GeyserError('InvalidTextureHandle', `Expected a metal handle but received a ${String(handle?.backend)} handle`);
  }

  writeTexture(texture: SharedTexture, data: ArrayBufferView): void {
    const tex = this.#own(texture);
    const expected = formatInfo(tex.format).bytesPerTexel * tex.width * tex.height;
    if (data.byteLength !== expected) throw new GeyserError('InvalidDescriptor', `Expected ${expected} bytes for data but received ${data.byteLength}`);
    callNative(() => this.#device.writeTexture(tex.nativeId, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
  }

  readTexture(texture: SharedTexture): Uint8Array {
    const tex = this.#own(texture);
    return callNative(() => this.#device.readTexture(tex.nativeId));
  }

  createExportableSemaphore(): ExportableSemaphore {
    this.assertOpen();
    return this.adopt(new MetalEvent(this.#device, callNative(() => this.#device.createEvent(0))));
  }

  exportSemaphore(_semaphore: ExportableSemaphore): SemaphoreHandle {
    throw new GeyserError('OperationNotSupported', `exporting a Metal shared event: ${NO_XPC}`);
  }

  importSemaphore(_handle: SemaphoreHandle): ExportableSemaphore {
    throw new GeyserError('OperationNotSupported', `importing a Metal shared event: ${NO_XPC}`);
  }

  createExportableFence(): ExportableFence {
    throw new GeyserError('OperationNotSupported', 'Metal has no exportable fences; use createExportableSemaphore (an MTLSharedEvent)');
  }

  exportFence(_fence: ExportableFence): FenceHandle {
    throw new GeyserError('OperationNotSupported', 'Metal has no exportable fences');
  }

  importFence(_handle: FenceHandle): ExportableFence {
    throw new GeyserError('OperationNotSupported', 'Metal has no exportable fences');
  }

  protected disposeBackend(): void {
    this.#device.dispose();
  }

  #own(texture: SharedTexture): MetalTexture {
    this.assertOpen();
    if (!(texture instanceof MetalTexture)) throw new GeyserError('InvalidTextureHandle', 'Expected a texture from the Metal manager');
    texture.assertLive();
    return texture;
  }

  #free(texture: MetalTexture): void {
    this.disown(texture);
    this.#device.releaseTexture(texture.nativeId);
  }
}

/** @internal Probes Metal for `'auto'` and `geyser info`. */
export async function probeMetal(): Promise<BackendVerdict> {
  const metal = metalAddon();
  return {
    backend: 'metal',
    usable: metal.available,
    preferred: metal.available,
    reason: metal.available ? 'Metal device with IOSurface sharing' : (metal.reason ?? 'unavailable'),
  };
}

/** @internal Opens the Metal backend. */
export async function openMetalManager(options: ManagerOptions): Promise<TextureShareManager> {
  const metal = metalAddon();
  if (!metal.available || !metal.MetalDevice) {
    throw new GeyserError('MetalInitializationError', `the Metal backend cannot open: ${metal.reason ?? 'unavailable'}`);
  }
  const Device = metal.MetalDevice;
  return new MetalTextureShareManager(callNative(() => new Device(options.deviceIndex ?? 0)));
}
