// Sync insertion on the Vulkan backend: lavapipe (no exportable semaphores) gets the degraded
// fence-wait path, reported in describe() and as a coded warning; a GPU with exportable timeline
// semaphores gets timeline-semaphore edges. Both move frames through three real processes.
import { describe, expect, it } from 'vitest';
import { createTextureShareManager, defineSink, inChildProcess, pipeline, type Capabilities, type Frame } from '../src/index.js';
import { checkFrame } from './fixtures/pipeline-stamp.mjs';
import { expectNoOrphansPerTest, fixtureUrl, geyserError, rejection } from './pipeline-helpers.js';

/** The Vulkan device's capabilities, or undefined where Vulkan cannot open. */
async function vulkanCapabilities(): Promise<Capabilities | undefined> {
  try {
    const manager = await createTextureShareManager({ backend: 'vulkan' });
    const caps = manager.capabilities();
    manager.dispose();
    return caps;
  } catch {
    return undefined;
  }
}

const caps = await vulkanCapabilities();
/** GEYSER_REQUIRE_GPU=1 (scripts/test-gpu.sh on the GPU machine) runs the GPU-only test regardless, so a missing feature fails it. */
const REQUIRE_GPU = process.env.GEYSER_REQUIRE_GPU === '1';
const W = 64;
const H = 64;

expectNoOrphansPerTest();

/** Runs producer process -> filter process -> checking consumer here on Vulkan; returns the run and what arrived. */
async function threeProcessRun(frames: number) {
  const delivered: Array<{ seq: number; ok: boolean }> = [];
  const warnings: Error[] = [];
  const onWarning = (warning: Error): void => void warnings.push(warning);
  process.on('warning', onWarning);
  const consumer = defineSink('consumer', (scope) => ({
    next(frame: Frame) {
      const { seq, ok } = checkFrame(scope.context.manager.readTexture(frame.texture), W, H);
      delivered.push({ seq, ok: ok && seq === frame.seq });
    },
  }));
  const run = pipeline(
    inChildProcess(fixtureUrl('pipeline-producer.mjs'), { name: 'producer', options: { width: W, height: H, frames } }),
    inChildProcess(fixtureUrl('pipeline-passthrough.mjs'), { name: 'filter' }),
    consumer,
    { backend: 'vulkan' },
  );
  try {
    await run.ready;
    const description = run.describe();
    await run.done;
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    return { description, delivered, warnings };
  } finally {
    process.off('warning', onWarning);
  }
}

describe('Vulkan edges', () => {
  // lavapipe (Mesa's CPU Vulkan) is what CI and the dev machines have; it cannot export semaphores.
  it.runIf(caps !== undefined && !caps.semaphore.exportable)(
    'lavapipe: fence-wait edges, reported as degraded with the reason; 1,000 frames through three processes intact',
    async () => {
      const { description, delivered, warnings } = await threeProcessRun(1000);
      const reason = /^lavapipe: no VK_KHR_external_semaphore_fd.*; the producer waits for its own queue before sending$/;
      expect(description.backend).toBe('vulkan');
      expect(description.edges).toEqual([
        expect.objectContaining({ from: 'n0', to: 'n1', primitive: 'fence-wait', degraded: true, reason: expect.stringMatching(reason) }),
        expect.objectContaining({ from: 'n1', to: 'n2', primitive: 'fence-wait', degraded: true, reason: expect.stringMatching(reason) }),
      ]);
      const degraded = warnings.filter((warning) => (warning as Error & { code?: string }).code === 'GEYSER_SYNC_DEGRADED');
      expect(degraded.map((warning) => warning.message)).toEqual([expect.stringMatching(/^edge n0 -> n1 uses fence-wait: lavapipe: /), expect.stringMatching(/^edge n1 -> n2 uses fence-wait: lavapipe: /)]);
      expect(delivered.map((frame) => frame.seq)).toEqual([...Array(1000).keys()]);
      expect(delivered.every((frame) => frame.ok)).toBe(true);
    },
    120_000,
  );

  // Needs a GPU whose driver exports timeline semaphores (the NVIDIA machine; the lead runs it there).
  it.runIf(REQUIRE_GPU || caps?.semaphore.exportable === true)(
    'exportable timeline semaphores: timeline-semaphore edges, not degraded; 1,000 frames through three processes intact',
    async () => {
      const { description, delivered, warnings } = await threeProcessRun(1000);
      expect(description.edges.map(({ primitive, degraded }) => ({ primitive, degraded }))).toEqual([
        { primitive: 'timeline-semaphore', degraded: false },
        { primitive: 'timeline-semaphore', degraded: false },
      ]);
      expect(warnings.filter((warning) => (warning as Error & { code?: string }).code === 'GEYSER_SYNC_DEGRADED')).toEqual([]);
      expect(delivered.map((frame) => frame.seq)).toEqual([...Array(1000).keys()]);
      expect(delivered.every((frame) => frame.ok)).toBe(true);
    },
    120_000,
  );

  it.runIf(caps !== undefined)('refuses to force message-order on Vulkan (GPU writes need a real sync primitive)', async () => {
    const forced = pipeline(inChildProcess(fixtureUrl('pipeline-producer.mjs'), { options: { frames: 1 } }), defineSink('sink', () => ({ next: () => undefined })), { backend: 'vulkan', sync: 'message-order' });
    expect(await rejection(forced.done)).toMatchObject(
      geyserError('OperationNotSupported', "sync 'message-order' is only correct on the host backend (CPU writes are visible once the message arrives), not on vulkan"),
    );
  });

  // lavapipe: no exportable semaphores, so timeline edges cannot be forced.
  it.runIf(caps !== undefined && !caps.semaphore.exportable)('refuses to force timeline-semaphore edges where semaphores cannot be exported', async () => {
    const forced = pipeline(inChildProcess(fixtureUrl('pipeline-producer.mjs'), { options: { frames: 1 } }), defineSink('sink', () => ({ next: () => undefined })), { backend: 'vulkan', sync: 'timeline-semaphore' });
    expect(await rejection(forced.done)).toMatchObject(
      geyserError('OperationNotSupported', /^sync 'timeline-semaphore' needs exportable timeline semaphores, which the vulkan backend lacks: GPU 0 \(llvmpipe\): no VK_KHR_external_semaphore_fd/),
    );
  });
});
