// Shared by the Vulkan node tests: one source -> operator -> collect run on either backend, watching
// the Vulkan manager's compute dispatches and texture creations, and a source that asks for copy
// usage only (as code written before the GPU paths would), which sends frames down the CPU kernels.
import { expect, vi } from 'vitest';
import {
  createPipelineContext, createRgbaImage, createTextureShareManager, defineSource, drawTestPattern, pipeline,
  VulkanTextureShareManager, type Frame, type OperatorNode, type SourceNode,
} from '../../src/index.js';
import { collectSink, type CollectedFrame } from './collect-sink.js';

/** What one pipeline run produced: the frames, the compute dispatches issued, and whether every texture it created was released. */
export interface WatchedRun {
  frames: CollectedFrame[];
  /** compute dispatches the whole pipeline issued (sources included) */
  dispatches: number;
  allTexturesReleased: boolean;
}

/** Runs source -> operator -> collect on `backend`, checking that frames 0 .. frames-1 arrive in order. */
export async function runWatchingVulkan<In>(backend: 'host' | 'vulkan', source: SourceNode<In>, operator: OperatorNode<In, Frame>, frames: number): Promise<WatchedRun> {
  const dispatch = vi.spyOn(VulkanTextureShareManager.prototype, 'dispatchComputeAsync');
  const create = vi.spyOn(VulkanTextureShareManager.prototype, 'createShareableTexture');
  // Our own manager, kept open past the run: disposing it would mark every texture released.
  const manager = await createTextureShareManager({ backend });
  try {
    const context = await createPipelineContext({ manager });
    const sink = collectSink();
    try {
      await pipeline(source, operator, sink, { context }).done;
    } finally {
      context.dispose(); // the pools; not the manager
    }
    expect(sink.frames.map((frame) => frame.seq)).toEqual([...Array(frames).keys()]);
    // Pool slots and scratch textures alike: nothing outlives the pipeline and its pools.
    const allTexturesReleased = create.mock.results.every((result) => (result.value as { released: boolean }).released);
    return { frames: sink.frames, dispatches: dispatch.mock.calls.length, allTexturesReleased };
  } finally {
    manager.dispose();
    dispatch.mockRestore();
    create.mockRestore();
  }
}

/** Test-pattern frames in rgba8unorm textures with copy usage only (no storage binding). */
export function copyOnlyPattern(name: string, width: number, height: number, frames: number): SourceNode<Frame> {
  return defineSource(name, async (scope) => {
    for (let seq = 0; seq < frames; seq++) {
      const frame = await scope.acquireFrame({ width, height, format: 'rgba8unorm', usage: ['copy-src', 'copy-dst'] }, { seq });
      scope.context.manager.writeTexture(frame.texture, drawTestPattern(createRgbaImage(width, height), seq).data);
      scope.emit(frame);
    }
  });
}
