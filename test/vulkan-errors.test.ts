import { execFileSync } from 'node:child_process';
import { openSync, closeSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type VulkanTextureHandle, type VulkanTextureShareManager } from '../src/index.js';
import { native } from '../src/core/native.js';
import { deviceLabel, openFdCount, openVulkan } from './vulkan-utils.js';
import { thrownGeyserError } from './helpers/geyser-errors.js';

const fdOps = native() as unknown as { isFdOpen(fd: number): boolean; closeFd(fd: number): void };
const DESC = { width: 256, height: 256, format: 'rgba8unorm', usage: ['copy-src', 'copy-dst'] } as const;

/** Both ends of a pipe as plain fds (a FIFO opened read-write twice; no Node stream owns them). */
function makePipe(): [number, number] {
  const dir = mkdtempSync(join(tmpdir(), 'geyser-vk-fifo-'));
  const path = join(dir, 'fifo');
  execFileSync('mkfifo', [path]);
  const read = openSync(path, 'r+');
  const write = openSync(path, 'r+');
  rmSync(dir, { recursive: true });
  return [read, write];
}

describe('Vulkan import refuses bad handles with a clear GeyserError and leaks nothing', () => {
  let manager: VulkanTextureShareManager;
  let handle: VulkanTextureHandle;
  let fdsBefore: number;
  let allocationsBefore: number;

  beforeAll(async () => {
    manager = await openVulkan();
  });
  afterAll(() => manager?.dispose());

  beforeEach(() => {
    fdsBefore = openFdCount();
    allocationsBefore = manager.liveAllocationCount;
    const texture = manager.createShareableTexture({ ...DESC, label: 'source' });
    handle = manager.exportTexture(texture);
    texture.release();
  });

  afterEach(() => {
    manager.releaseTextureHandle(handle);
    expect(manager.liveAllocationCount).toBe(allocationsBefore);
    expect(openFdCount()).toBe(fdsBefore);
  });

  it('refuses a handle from another device (wrong deviceUuid) with DeviceMismatch', () => {
    const other = { ...handle, deviceUuid: '00112233445566778899aabbccddeeff' };
    const error = thrownGeyserError(() => manager.importTexture(other, DESC));
    expect(error.code).toBe('DeviceMismatch');
    expect(error.message).toBe(
      `handle.deviceUuid 00112233445566778899aabbccddeeff does not match ${deviceLabel(manager)} (deviceUuid ${handle.deviceUuid}): opaque fds import only on the same device and driver`,
    );
    expect(fdOps.isFdOpen(handle.rawHandle)).toBe(true);
  });

  it('refuses a handle from another driver (wrong driverUuid) with DeviceMismatch', () => {
    const error = thrownGeyserError(() => manager.importTexture({ ...handle, driverUuid: 'ffffffffffffffffffffffffffffffff' }, DESC));
    expect(error.code).toBe('DeviceMismatch');
    expect(error.message).toBe(
      `handle.driverUuid ffffffffffffffffffffffffffffffff does not match ${deviceLabel(manager)} (driverUuid ${handle.driverUuid}): opaque fds import only on the same device and driver`,
    );
  });

  it('refuses a size smaller than the image needs, before the driver sees the fd', () => {
    const error = thrownGeyserError(() => manager.importTexture({ ...handle, size: 100 }, DESC));
    expect(error.code).toBe('InvalidTextureHandle');
    expect(error.message).toBe(`handle.size 100 is smaller than the ${handle.size} bytes this image needs`);
    expect(fdOps.isFdOpen(handle.rawHandle)).toBe(true);
  });

  it('refuses a memory type index the device does not have', () => {
    const error = thrownGeyserError(() => manager.importTexture({ ...handle, memoryTypeIndex: 31 }, DESC));
    expect(error.code).toBe('InvalidTextureHandle');
    expect(error.message).toMatch(/^handle\.memoryTypeIndex 31 does not exist \(the device has \d+ memory types\)$/);
  });

  it('refuses a malformed size with the standard message', () => {
    const error = thrownGeyserError(() => manager.importTexture({ ...handle, size: -3 }, DESC));
    expect(error.message).toBe('Expected positive integer for handle.size but received -3 of type number');
  });

  it('refuses a closed fd', () => {
    const closed = openSync('/dev/null', 'r');
    closeSync(closed);
    const error = thrownGeyserError(() => manager.importTexture({ ...handle, rawHandle: closed }, DESC));
    expect(error.code).toBe('InvalidTextureHandle');
    expect(error.message).toBe(`handle.rawHandle (fd ${closed}) is not an open file descriptor`);
  });

  it('refuses a pipe and leaves it open for its owner', () => {
    const [read, write] = makePipe();
    const error = thrownGeyserError(() => manager.importTexture({ ...handle, rawHandle: read }, DESC));
    expect(error.code).toBe('InvalidTextureHandle');
    expect(error.message).toBe(`handle.rawHandle (fd ${read}) is a pipe, not exported Vulkan memory`);
    expect(fdOps.isFdOpen(read)).toBe(true);
    closeSync(read);
    closeSync(write);
  });

  it('refuses a regular file before the driver sees it, and the caller still owns the fd', () => {
    const dir = mkdtempSync(join(tmpdir(), 'geyser-vk-'));
    const path = join(dir, 'not-vulkan');
    writeFileSync(path, Buffer.alloc(handle.size));
    const fd = openSync(path, 'r+');
    const error = thrownGeyserError(() => manager.importTexture({ ...handle, rawHandle: fd }, DESC));
    expect(error.code).toBe('InvalidTextureHandle');
    // The driver never sees it: NVIDIA's driver stops allocating after refusing a foreign fd.
    // Its opaque fds are /dev/nvidiactl character devices, lavapipe's are memfds.
    const theirs = manager.capabilities().device.type === 'cpu' ? 'memfds' : '/dev/nvidiactl';
    expect(error.message).toBe(`texture handle: fd ${fd} is a regular file (${path}), not an opaque fd of this Vulkan driver (its opaque fds are ${theirs})`);
    expect(fdOps.isFdOpen(fd)).toBe(true);
    closeSync(fd);
    rmSync(dir, { recursive: true });
  });

  it('refuses a descriptor that does not match the handle', () => {
    const error = thrownGeyserError(() => manager.importTexture(handle, { ...DESC, width: 128 }));
    expect(error.code).toBe('InvalidDescriptor');
    expect(error.message).toBe('descriptor.width 128 does not match handle.width 256');
    const format = thrownGeyserError(() => manager.importTexture(handle, { ...DESC, format: 'bgra8unorm' }));
    expect(format.message).toBe('descriptor.format bgra8unorm does not match handle.format rgba8unorm');
  });

  it('refuses usages the exporter did not create the texture with', () => {
    const error = thrownGeyserError(() => manager.importTexture(handle, { ...DESC, usage: ['copy-src', 'storage-binding'] }));
    expect(error.code).toBe('InvalidDescriptor');
    expect(error.message).toBe('descriptor.usage asks for storage-binding, which the exporter did not create the texture with (handle.usage: copy-src, copy-dst)');
  });

  it('refuses a handle that was already released', () => {
    using texture = manager.createShareableTexture({ ...DESC, label: 'gone' });
    const released = manager.exportTexture(texture);
    manager.releaseTextureHandle(released);
    const error = thrownGeyserError(() => manager.importTexture(released, DESC));
    expect(error.code).toBe('InvalidTextureHandle');
    expect(error.message).toBe(`texture handle (fd ${released.rawHandle}) is not live in this process: it was already released or consumed by an import`);
  });

  it('refuses a handle of another backend', () => {
    const host = { backend: 'host', kind: 'texture', rawHandle: handle.rawHandle, handleType: 'memfd', size: 1, width: 256, height: 256, format: 'rgba8unorm' } as const;
    const error = thrownGeyserError(() => manager.importTexture(host, DESC));
    expect(error.code).toBe('InvalidTextureHandle');
    expect(error.message).toBe("handle is a host texture handle; the Vulkan manager imports only Vulkan texture handles");
  });

  it('consumes the fd on a successful import and refuses the same handle again', () => {
    // What a peer would receive: its own fd for the same memory.
    const received = { ...handle, rawHandle: (native() as unknown as { dupFd(fd: number): number }).dupFd(handle.rawHandle) };
    const imported = manager.importTexture(received, DESC);
    expect(fdOps.isFdOpen(received.rawHandle)).toBe(false);
    const error = thrownGeyserError(() => manager.importTexture(received, DESC));
    expect(error.code).toBe('InvalidTextureHandle');
    expect(error.message).toBe(`handle (fd ${received.rawHandle}) was already consumed by an import`);
    imported.release();
  });
});

describe('Vulkan texture misuse', () => {
  let manager: VulkanTextureShareManager;
  beforeAll(async () => {
    manager = await openVulkan();
  });
  afterAll(() => manager?.dispose());

  it('refuses an unsupported format/usage pair at create time, naming format, usage and reason', () => {
    const error = thrownGeyserError(() => manager.createShareableTexture({ width: 64, height: 64, format: 'bgra8unorm-srgb', usage: ['storage-binding'] }));
    expect(error.code).toBe('FormatNotSupported');
    expect(error.message).toBe(
      `bgra8unorm-srgb with usage [storage-binding] is not supported by ${deviceLabel(manager)}: vkGetPhysicalDeviceImageFormatProperties2 returned VK_ERROR_FORMAT_NOT_SUPPORTED`,
    );
    expect(manager.liveAllocationCount).toBe(0);
  });

  it('refuses a bad descriptor before any native call', () => {
    const error = thrownGeyserError(() => manager.createShareableTexture({ width: -3, height: 4, format: 'rgba8unorm', usage: ['copy-src'] }));
    expect(error.code).toBe('InvalidDescriptor');
    expect(error.message).toBe('Expected integer between 1 and 16384 for descriptor.width but received -3 of type number');
  });

  it('throws Released for a released texture, naming it', () => {
    const texture = manager.createShareableTexture({ ...DESC, label: 'cam0' });
    texture.release();
    texture.release(); // idempotent
    const error = thrownGeyserError(() => manager.writeTexture(texture, new Uint8Array(256 * 256 * 4)));
    expect(error.code).toBe('Released');
    expect(error.message).toBe("texture 'cam0' has been released");
    expect(thrownGeyserError(() => manager.exportTexture(texture)).message).toBe("texture 'cam0' has been released");
  });

  it('refuses data of the wrong length', () => {
    using texture = manager.createShareableTexture({ ...DESC, label: 'short' });
    const error = thrownGeyserError(() => manager.writeTexture(texture, new Uint8Array(100)));
    expect(error.code).toBe('InvalidDescriptor');
    expect(error.message).toBe('Expected 262144 bytes (256 rows of 1024) for data but received 100');
  });

  it('refuses copies the usage does not allow, and CPU copies of driver-laid-out depth formats', () => {
    using sampled = manager.createShareableTexture({ width: 8, height: 8, format: 'rgba8unorm', usage: ['texture-binding'], label: 'sampled' });
    expect(thrownGeyserError(() => manager.readTexture(sampled)).message).toBe("readTexture: texture 'sampled' was created without copy-src usage");
    using depth = manager.createShareableTexture({ width: 8, height: 8, format: 'depth24plus', usage: ['copy-src', 'render-attachment'] });
    const error = thrownGeyserError(() => manager.readTexture(depth));
    expect(error.code).toBe('OperationNotSupported');
    expect(error.message).toBe('readTexture: depth24plus texels cannot be copied to or from the CPU (the driver chooses their layout)');
  });

  it('refuses to re-export an imported texture', () => {
    using texture = manager.createShareableTexture({ ...DESC, label: 'origin' });
    const imported = manager.importTexture(manager.exportTexture(texture), { ...DESC, label: 'copy' });
    const error = thrownGeyserError(() => manager.exportTexture(imported));
    expect(error.code).toBe('OperationNotSupported');
    expect(error.message).toBe("texture 'copy' was imported; export it from the process that created it");
    imported.release();
  });

  it('refuses to release a handle twice', () => {
    using texture = manager.createShareableTexture(DESC);
    const handle = manager.exportTexture(texture);
    manager.releaseTextureHandle(handle);
    const error = thrownGeyserError(() => manager.releaseTextureHandle(handle));
    expect(error.code).toBe('InvalidTextureHandle');
    expect(error.message).toMatch(/is not live in this process/);
  });
});
