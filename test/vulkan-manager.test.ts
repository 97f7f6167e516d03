import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_FORMATS,
  chooseAutoBackend,
  createTextureShareManager,
  GeyserError,
  VulkanTextureShareManager,
  type TextureFormat,
} from '../src/index.js';
import { probeVulkan } from '../src/core/vulkan/manager.js';
import { firstMismatch, pattern, SHARED_FORMATS } from './fixtures/vulkan-pattern.mjs';
import { deviceLabel, lastJson, openFdCount, openVulkan, runChild } from './vulkan-utils.js';
import { rejectedGeyserError } from './helpers/geyser-errors.js';

// What the device is decides a few expectations: lavapipe here (a CPU device without exportable
// semaphores/fences), an NVIDIA GPU under scripts/test-gpu.sh.
const first = await openVulkan();
const CAPS = first.capabilities();
const LABEL = deviceLabel(first);
first.dispose();
const CPU_DEVICE = CAPS.device.type === 'cpu';

function thrown(fn: () => unknown): GeyserError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GeyserError);
    return error as GeyserError;
  }
  throw new Error('expected a GeyserError');
}

describe('opening the Vulkan backend', () => {
  it('probes a CPU device (lavapipe) as usable but not preferred, and a GPU as preferred, with the reason', async () => {
    const verdict = await probeVulkan({});
    const shared = ['memory', ...(CAPS.semaphore.timeline ? ['semaphore'] : []), ...(CAPS.fence.exportable ? ['fence'] : [])].join('/');
    expect(verdict).toEqual(
      CPU_DEVICE
        ? { backend: 'vulkan', usable: true, preferred: false, reason: `${LABEL}: CPU device; the host backend is faster` }
        : { backend: 'vulkan', usable: true, preferred: true, reason: `${LABEL}: external ${shared} fd` },
    );
    const auto = await chooseAutoBackend({});
    expect(auto.verdicts.find((entry) => entry.backend === 'vulkan')).toEqual(verdict);
    expect(auto.backend).toBe(verdict.preferred ? 'vulkan' : 'host'); // lavapipe is left to the host backend
  });

  it('lists every device and why it was rejected when none fits', async () => {
    const error = await rejectedGeyserError(createTextureShareManager({ backend: 'vulkan', deviceIndex: 99 }));
    expect(error.code).toBe('VulkanInitializationError');
    expect(error.message).toMatch(/^no Vulkan device can share textures:(\n {2}GPU \d+ \([^)]*\): .+)+$/);
    expect(error.message).toContain(`\n  ${LABEL}: not deviceIndex 99`);
    const byUuid = await rejectedGeyserError(createTextureShareManager({ backend: 'vulkan', deviceUuid: 'ab'.repeat(16) }));
    expect(byUuid.message).toContain(`\n  ${LABEL}: deviceUuid is ${CAPS.device.deviceUuid}, not ${'ab'.repeat(16)}`);
    const probe = await probeVulkan({ deviceIndex: 99 });
    expect(probe).toMatchObject({ backend: 'vulkan', usable: false, preferred: false });
    expect(probe.reason).toContain(`${LABEL}: not deviceIndex 99`);
  });

  it('still loads the addon where libvulkan cannot be opened, and says why the backend is unavailable', async () => {
    const previous = process.env.GEYSER_VULKAN_LIBRARY;
    process.env.GEYSER_VULKAN_LIBRARY = '/nonexistent/libvulkan.so.1';
    let run;
    try {
      run = await runChild('vulkan-no-loader.mjs', [], []);
    } finally {
      if (previous === undefined) delete process.env.GEYSER_VULKAN_LIBRARY;
      else process.env.GEYSER_VULKAN_LIBRARY = previous;
    }
    expect(run.code, run.stderr).toBe(0);
    const reason =
      'the Vulkan loader could not be opened (/nonexistent/libvulkan.so.1: /nonexistent/libvulkan.so.1: cannot open shared object file: No such file or directory); install libvulkan1 and a Vulkan driver';
    expect(lastJson(run)).toEqual({
      available: false,
      reason,
      verdict: { backend: 'vulkan', usable: false, preferred: false, reason: `the Vulkan backend is unavailable: ${reason}` },
      error: { code: 'BackendUnavailable', message: `the Vulkan backend is unavailable: ${reason}` },
    });
  });

  it('selects a device by index and by deviceUuid', async () => {
    const first = await openVulkan();
    const uuid = first.capabilities().device.deviceUuid!;
    first.dispose();
    const byUuid = (await createTextureShareManager({ backend: 'vulkan', deviceUuid: uuid.toUpperCase() })) as VulkanTextureShareManager;
    expect(byUuid.capabilities().device.deviceUuid).toBe(uuid);
    byUuid.dispose();
    const byIndex = await createTextureShareManager({ backend: 'vulkan', deviceIndex: 0 });
    expect(byIndex.capabilities().device.index).toBe(0);
    byIndex.dispose();
  });
});

describe('a Vulkan manager on lavapipe', () => {
  let manager: VulkanTextureShareManager;
  beforeAll(async () => {
    manager = await openVulkan();
  });
  afterAll(() => manager?.dispose());

  it('is the Vulkan backend with the device described', () => {
    expect(manager).toBeInstanceOf(VulkanTextureShareManager);
    const caps = manager.capabilities();
    expect(caps.backend).toBe('vulkan');
    expect(caps.device).toMatchObject({ index: 0, deviceUuid: expect.stringMatching(/^[0-9a-f]{32}$/), driverUuid: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(['discrete-gpu', 'integrated-gpu', 'virtual-gpu', 'cpu', 'other']).toContain(caps.device.type);
    expect(caps.device.name.length).toBeGreaterThan(0);
    expect(caps.memory).toEqual({ exportable: true, handleTypes: ['opaque-fd'] });
    expect(caps.cpuMappable).toBe(false);
  });

  it('sorts every format into shareable or refused (with the reason); lavapipe shares all 21', () => {
    const caps = manager.capabilities();
    expect([...Object.keys(caps.formats), ...Object.keys(caps.unsupportedFormats)].sort()).toEqual([...ALL_FORMATS].sort());
    for (const [format, reason] of Object.entries(caps.unsupportedFormats)) expect(reason).toMatch(new RegExp(`^${format} with usage \\[copy-src, copy-dst, texture-binding\\] `));
    if (CPU_DEVICE) expect(caps.unsupportedFormats).toEqual({});
    if (caps.formats.depth24plus) expect(caps.formats.depth24plus).toEqual({ copyable: false });
    if (caps.formats['depth24plus-stencil8']) expect(caps.formats['depth24plus-stencil8']).toEqual({ copyable: false });
    if (caps.formats.rgba8unorm) expect(caps.formats.rgba8unorm).toEqual({ copyable: true });
  });

  // lavapipe has no VK_KHR_external_semaphore_fd / _fence_fd; on a GPU the sync tests cover export.
  it.runIf(!CAPS.semaphore.exportable)('reports semaphore and fence export as unsupported, naming the missing extensions', () => {
    const caps = manager.capabilities();
    expect(caps.semaphore).toEqual({
      exportable: false,
      timeline: false,
      handleTypes: [],
      reason: `${LABEL}: no VK_KHR_external_semaphore_fd (exportable semaphores need it)`,
    });
    expect(caps.fence).toEqual({ exportable: false, handleTypes: [], reason: `${LABEL}: no VK_KHR_external_fence_fd (exportable fences need it)` });
  });

  it.each([
    ['rgba8unorm', 'VK_FORMAT_R8G8B8A8_UNORM'],
    ['bgra8unorm', 'VK_FORMAT_B8G8R8A8_UNORM'],
    ['rgba8unorm-srgb', 'VK_FORMAT_R8G8B8A8_SRGB'],
    ['bgra8unorm-srgb', 'VK_FORMAT_B8G8R8A8_SRGB'],
    ['r16float', 'VK_FORMAT_R16_SFLOAT'],
    ['rgba32float', 'VK_FORMAT_R32G32B32A32_SFLOAT'],
    ['depth32float', 'VK_FORMAT_D32_SFLOAT'],
    // X8_D24 / D24S8 where the device can export them, else the 32-bit float fallbacks.
    ['depth24plus', 'VK_FORMAT_X8_D24_UNORM_PACK32|VK_FORMAT_D32_SFLOAT'],
    ['depth24plus-stencil8', 'VK_FORMAT_D24_UNORM_S8_UINT|VK_FORMAT_D32_SFLOAT_S8_UINT'],
    ['rgb10a2unorm', 'VK_FORMAT_A2B10G10R10_UNORM_PACK32'],
    ['rg11b10ufloat', 'VK_FORMAT_B10G11R11_UFLOAT_PACK32'],
  ] as const)('maps %s to %s', (format, vkFormat) => {
    const usage = format.startsWith('depth') ? (['render-attachment'] as const) : (['copy-src'] as const);
    using texture = manager.createShareableTexture({ width: 16, height: 16, format, usage });
    expect(vkFormat.split('|')).toContain(texture.vulkan.vkFormat);
    if (CPU_DEVICE) expect(texture.vulkan.vkFormat).toBe(vkFormat.split('|')[0]); // lavapipe has the preferred ones
    expect(texture.vulkan.dedicated).toBe(true);
    expect(texture.vulkan.size).toBeGreaterThanOrEqual(16 * 16 * 4);
  });

  it.each(SHARED_FORMATS)('round-trips every byte of a %s texture through the staging buffer', (format: TextureFormat) => {
    using texture = manager.createShareableTexture({ width: 37, height: 19, format, usage: ['copy-src', 'copy-dst'] });
    const bytes = pattern(format, 37, 19, 5);
    manager.writeTexture(texture, bytes);
    expect(firstMismatch(manager.readTexture(texture), bytes)).toBe(-1);
  });

  it('records the memory type and size it allocated in the exported handle', () => {
    using texture = manager.createShareableTexture({ width: 64, height: 32, format: 'rgba8unorm', usage: ['copy-src'], label: 'h' });
    const handle = manager.exportTexture(texture);
    expect(handle).toEqual({
      backend: 'vulkan',
      kind: 'texture',
      rawHandle: expect.any(Number),
      memoryTypeIndex: texture.vulkan.memoryTypeIndex,
      size: texture.vulkan.size,
      handleType: 'opaque-fd',
      dedicatedAllocation: true,
      deviceUuid: manager.capabilities().device.deviceUuid,
      driverUuid: manager.capabilities().device.driverUuid,
      width: 64,
      height: 32,
      format: 'rgba8unorm',
      usage: ['copy-src'],
      tiling: 'optimal',
    });
    manager.releaseTextureHandle(handle);
  });

  // Only where the device cannot export them (lavapipe); the GPU run exercises creation instead.
  it.runIf(!CAPS.semaphore.exportable)('refuses semaphores with OperationNotSupported naming the missing extension', () => {
    const semaphore = thrown(() => manager.createExportableSemaphore({ timeline: true }));
    expect(semaphore.code).toBe('OperationNotSupported');
    expect(semaphore.message).toBe(`${LABEL}: no VK_KHR_external_semaphore_fd (exportable semaphores need it)`);
    const binary = thrown(() => manager.createExportableSemaphore({ timeline: false, handleType: 'sync-fd' }));
    expect(binary.message).toBe(`${LABEL}: no VK_KHR_external_semaphore_fd (exportable semaphores need it)`);
  });

  it.runIf(!CAPS.fence.exportable)('refuses fences with OperationNotSupported naming the missing extension', () => {
    const fence = thrown(() => manager.createExportableFence());
    expect(fence.code).toBe('OperationNotSupported');
    expect(fence.message).toBe(`${LABEL}: no VK_KHR_external_fence_fd (exportable fences need it)`);
  });

  it('catches a misspelled semaphore option', () => {
    expect(() => manager.createExportableSemaphore({ timline: true } as never)).toThrow(
      "Unknown option 'timline' for createExportableSemaphore; expected one of: timeline, initialValue, handleType",
    );
  });
});

describe('VulkanTextureShareManager.fromExisting', () => {
  it('shares textures on an application-owned device and never destroys it', async () => {
    const owner = await openVulkan();
    const fdsBefore = openFdCount();
    const borrowed = VulkanTextureShareManager.fromExisting({ ...owner.rawHandles(), queueIndex: 0 });
    expect(borrowed.capabilities().device.deviceUuid).toBe(owner.capabilities().device.deviceUuid);
    const texture = borrowed.createShareableTexture({ width: 64, height: 64, format: 'rg32float', usage: ['copy-src', 'copy-dst'] });
    borrowed.writeTexture(texture, pattern('rg32float', 64, 64, 9));
    const handle = borrowed.exportTexture(texture);
    const imported = owner.importTexture(handle, { width: 64, height: 64, format: 'rg32float', usage: ['copy-src', 'copy-dst'] });
    expect(firstMismatch(owner.readTexture(imported), pattern('rg32float', 64, 64, 9))).toBe(-1);
    borrowed.dispose();
    expect(texture.released).toBe(true);
    // The device is still alive: the owner keeps using it, including the memory the borrowed manager exported.
    expect(firstMismatch(owner.readTexture(imported), pattern('rg32float', 64, 64, 9))).toBe(-1);
    const fresh = owner.createShareableTexture({ width: 8, height: 8, format: 'r8unorm', usage: ['copy-src', 'copy-dst'] });
    owner.writeTexture(fresh, new Uint8Array(64).fill(3));
    expect(owner.readTexture(fresh)).toEqual(new Uint8Array(64).fill(3));
    fresh.release();
    imported.release();
    expect(openFdCount()).toBe(fdsBefore);
    owner.dispose();
  });

  it('refuses malformed handles', () => {
    const error = thrown(() => VulkanTextureShareManager.fromExisting({ instance: 0n, physicalDevice: 1n, device: 1n, queueFamilyIndex: 0 }));
    expect(error.code).toBe('InvalidDescriptor');
    expect(error.message).toBe('Expected non-zero 64-bit bigint handle for objects.instance but received 0 of type bigint');
    const number = thrown(() => VulkanTextureShareManager.fromExisting({ instance: 5 as never, physicalDevice: 1n, device: 1n, queueFamilyIndex: 0 }));
    expect(number.message).toBe('Expected non-zero 64-bit bigint handle for objects.instance but received 5 of type number');
  });
});

describe('disposing a Vulkan manager', () => {
  it('frees every texture it holds, is idempotent, and refuses use afterwards', async () => {
    const manager = await openVulkan();
    const a = manager.createShareableTexture({ width: 32, height: 32, format: 'rgba8unorm', usage: ['copy-src'], label: 'a' });
    manager.createShareableTexture({ width: 32, height: 32, format: 'r32float', usage: ['copy-src'] });
    expect(manager.liveAllocationCount).toBe(2);
    manager.dispose();
    manager.dispose();
    expect(a.released).toBe(true);
    const error = thrown(() => manager.createShareableTexture({ width: 1, height: 1, format: 'r8unorm', usage: ['copy-src'] }));
    expect(error.code).toBe('Released');
    expect(error.message).toBe('the vulkan texture share manager has been disposed');
  });
});
