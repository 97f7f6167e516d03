import { describe, expect, it } from 'vitest';
import { ALL_FORMATS, createTextureShareManager, formatInfo, HostTextureShareManager, type HostTextureHandle } from '../src/index.js';
import { fillPattern, firstMismatch, pattern } from './fixtures/host-pattern.mjs';
import { childCount, fdCount, JsonChild } from './host-helpers.js';

const WIDTH = 1920;
const HEIGHT = 1080;
const SHAREABLE = ALL_FORMATS.filter((format) => formatInfo(format).copyable);

describe('host textures across two OS processes', () => {
  it('supports the 19 CPU-copyable formats', async () => {
    const manager = await createTextureShareManager({ backend: 'host' });
    expect(manager).toBeInstanceOf(HostTextureShareManager);
    expect(SHAREABLE).toHaveLength(19);
    expect(Object.keys(manager.capabilities().formats).sort()).toEqual([...SHAREABLE].sort());
    manager.dispose();
  });

  it('shares a 1920x1080 texture of every format: the child reads every byte, and its writes reach the parent without a copy', async () => {
    const fdsBefore = fdCount();
    const childrenBefore = childCount();
    const manager = await createTextureShareManager({ backend: 'host' });
    const shared = SHAREABLE.map((format, index) => {
      const texture = manager.createShareableTexture({ width: WIDTH, height: HEIGHT, format, usage: ['copy-src', 'copy-dst'], label: format });
      const byteLength = WIDTH * HEIGHT * formatInfo(format).bytesPerTexel;
      manager.writeTexture(texture, pattern(byteLength, 1000 + index));
      // Taken before the child runs: the child's writes must show up in this very view.
      const view = manager.mapTexture!(texture);
      const handle = manager.exportTexture(texture) as HostTextureHandle;
      return { format, index, texture, view, handle, byteLength, seed: 1000 + index, newSeed: 5000 + index };
    });
    const entries = shared.map((entry, position) => ({
      fd: 3 + position, // inherited at 3, 4, ... in the order of the stdio array
      width: WIDTH,
      height: HEIGHT,
      format: entry.format,
      size: entry.handle.size,
      seed: entry.seed,
      newSeed: entry.newSeed,
    }));
    const child = new JsonChild('host-texture-child.mjs', [JSON.stringify(entries)], shared.map((entry) => entry.handle.rawHandle));
    // The child holds its own copies of the fds now; ours are released.
    for (const entry of shared) manager.releaseTextureHandle(entry.handle);
    const report = (await child.next()) as { results: { format: string; byteLength: number; mismatch: number; imported: boolean }[] };
    expect(await child.finish()).toBe(0);

    expect(report.results.map((result) => result.format)).toEqual(SHAREABLE);
    for (const entry of shared) {
      const result = report.results[entry.index]!;
      expect({ format: result.format, byteLength: result.byteLength, mismatch: result.mismatch, imported: result.imported }).toEqual({
        format: entry.format,
        byteLength: entry.byteLength,
        mismatch: -1,
        imported: true,
      });
      const expected = pattern(entry.byteLength, entry.newSeed);
      expect(firstMismatch(entry.view, expected), `${entry.format} mapped view`).toBe(-1);
      expect(firstMismatch(manager.readTexture(entry.texture), expected), `${entry.format} readTexture`).toBe(-1);
    }
    manager.dispose();
    for (const entry of shared) expect(entry.view.byteLength).toBe(0); // detached on release
    expect(fdCount()).toBe(fdsBefore);
    expect(childCount()).toBe(childrenBefore);
  });

  it('shares memory within the process too: an import sees the exporter writes through mapTexture', async () => {
    const fdsBefore = fdCount();
    const manager = await createTextureShareManager({ backend: 'host' });
    const texture = manager.createShareableTexture({ width: 64, height: 32, format: 'rgba16float', usage: ['copy-dst'], label: 'local' });
    const handle = manager.exportTexture(texture) as HostTextureHandle;
    expect(handle).toEqual({ backend: 'host', kind: 'texture', rawHandle: handle.rawHandle, handleType: 'memfd', size: 64 * 32 * 8, width: 64, height: 32, format: 'rgba16float' });
    const imported = manager.importTexture(handle, { width: 64, height: 32, format: 'rgba16float', usage: ['copy-src'] });
    fillPattern(manager.mapTexture!(texture), 77);
    expect(firstMismatch(manager.readTexture(imported), pattern(64 * 32 * 8, 77))).toBe(-1);
    // A copy is a copy: later writes do not change it.
    const copy = manager.readTexture(imported);
    fillPattern(manager.mapTexture!(imported), 78);
    expect(firstMismatch(copy, pattern(64 * 32 * 8, 77))).toBe(-1);
    expect(firstMismatch(manager.mapTexture!(texture), pattern(64 * 32 * 8, 78))).toBe(-1);
    texture.release();
    // The importer keeps its own mapping after the exporter released.
    expect(firstMismatch(manager.readTexture(imported), pattern(64 * 32 * 8, 78))).toBe(-1);
    manager.dispose();
    expect(fdCount()).toBe(fdsBefore);
  });

  it('reports honest capabilities', async () => {
    const manager = await createTextureShareManager({ backend: 'host' });
    const caps = manager.capabilities();
    expect(caps.device).toEqual({ index: 0, name: 'host shared memory (memfd)', type: 'cpu' });
    expect(caps.memory).toEqual({ exportable: true, handleTypes: ['memfd'] });
    expect(caps.semaphore).toEqual({ exportable: true, timeline: true, handleTypes: ['memfd'] });
    expect(caps.fence).toEqual({ exportable: true, handleTypes: ['memfd'] });
    expect(caps.cpuMappable).toBe(true);
    expect(Object.keys(caps.unsupportedFormats).sort()).toEqual(['depth24plus', 'depth24plus-stencil8']);
    manager.dispose();
  });
});

describe('choosing the host backend', () => {
  it("is usable but not preferred, and 'auto' falls back to it when no GPU Vulkan device is usable", async () => {
    const { chooseAutoBackend } = await import('../src/index.js');
    const { backend, verdicts } = await chooseAutoBackend({});
    const host = verdicts.find((verdict) => verdict.backend === 'host');
    expect(host).toEqual({ backend: 'host', usable: true, preferred: false, reason: 'memfd shared memory works (the fallback when no GPU Vulkan device is usable)' });
    const vulkan = verdicts.find((verdict) => verdict.backend === 'vulkan');
    // Where a GPU Vulkan device is usable, 'auto' rightly picks it; the fallback applies elsewhere.
    if (!vulkan?.preferred) {
      expect(backend).toBe('host');
      const manager = await createTextureShareManager({ backend: 'auto' });
      expect(manager.backend).toBe('host');
      manager.dispose();
    }
  });

  it('has one device, index 0', async () => {
    await expect(createTextureShareManager({ backend: 'host', deviceIndex: 2 })).rejects.toMatchObject({
      code: 'BackendUnavailable',
      message: 'the host backend has one device (index 0); deviceIndex 2 does not exist',
    });
  });
});
