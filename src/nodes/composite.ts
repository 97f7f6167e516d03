/**
 * `composite`: several frames into one, as a grid of tiles or layered overlays (fan-in).
 *
 * @module
 */
import { GeyserError } from '../core/errors.js';
import { checkIntegerInRange, expectedMessage, invalid, isPlainObject } from '../core/validate.js';
import { defineFilter } from '../pipeline/define-node.js';
import type { Frame } from '../pipeline/frame.js';
import type { NodeOptions, OperatorNode } from '../pipeline/node.js';
import { defaultFrameUsage } from '../pipeline/node-scope.js';
import type { SharedTexture } from '../core/types.js';
import type { VulkanTextureShareManager } from '../core/vulkan/manager.js';
import type { RgbaImage } from './kernels/rgba-image.js';
import { checkColor, compositeTilesWith, overlayPlacement, overlayRgba, type OverlayOptions, type Rgba } from './kernels/composite.js';
import { scaleBilinearNative } from './kernels/scale-native.js';
import { gpuCompositeTilesAsync } from './gpu/gpuCompositeTiles.js';
import { gpuOverlayAsync } from './gpu/gpuOverlay.js';
import { readRgba, writablePixels } from './support/frame-pixels.js';
import { awaitGpuWork, cpuReason, createPathReporter, outputReason } from './support/gpu-path.js';
import { splitNodeOptions } from './support/node-options.js';

/** Options of {@link composite} with `layout: 'tiles'`. */
export interface TilesCompositeOptions {
  layout: 'tiles';
  /** Output width; default the first input's width. */
  width?: number;
  /** Output height; default the first input's height. */
  height?: number;
  /** Grid columns; default `ceil(sqrt(inputs))`. */
  columns?: number;
  /** Color where no tile is; default opaque black. */
  background?: Rgba;
  /** Node name (default `'composite'`). */
  name?: string;
}

/** Options of {@link composite} with `layout: 'overlay'`. */
export interface OverlayCompositeOptions {
  layout: 'overlay';
  /** Where input 1 goes on input 0 (default 0). */
  x?: number;
  /** Where input 1 goes on input 0 (default 0). */
  y?: number;
  /** Input 1's opacity, 0 to 1 (default 1). */
  opacity?: number;
  /** Per-input placement for inputs 1, 2, ... (overrides x, y, opacity); inputs beyond it use x, y, opacity. */
  layers?: readonly OverlayOptions[];
  /** Node name (default `'composite'`). */
  name?: string;
}

/** Options of {@link composite}. */
export type CompositeOptions = TilesCompositeOptions | OverlayCompositeOptions;

/**
 * Composes each set of frames from {@link fanIn} into one new frame. `tiles` scales every input into
 * a cell of a grid (see {@link compositeTiles}); `overlay` copies input 0 and lays inputs 1, 2, ...
 * over it in order, blending by their alpha (see {@link overlayRgba}). The output takes input 0's
 * seq, pts and metadata; all inputs must be RGBA8.
 *
 * On the Vulkan backend, when every input frame and the output are rgba8unorm with storage-binding
 * usage (the default there), the frames are composed on the GPU from texture to texture by
 * {@link gpuCompositeTilesAsync} (within 1 level of the CPU kernel, as `scale`) or
 * {@link gpuOverlayAsync} (byte-identical); other frames take the CPU kernels. `NODE_DEBUG=geyser`
 * says once which path the node took.
 *
 * @example
 * ```ts
 * await pipeline(
 *   fanIn(testPattern({ width: 1280, height: 720, frames: 100 }), imageSource({ path: 'logo.png' })),
 *   composite({ layout: 'overlay', x: 16, y: 16, opacity: 0.8 }),
 *   pngSink({ path: 'out/frame-%03d.png', every: 25 }),
 * ).done;
 * ```
 * @param options - the layout and its settings
 * @returns a fan-in node: frame sets in, frames out
 * @throws GeyserError `InvalidDescriptor` for a bad layout or value; `TypeError` for an unknown option
 */
export function composite(options: CompositeOptions): OperatorNode<Frame[], Frame> {
  if (!isPlainObject(options)) throw new TypeError(expectedMessage('an options object', 'composite options', options));
  if (options.layout === 'tiles') return tiles(options);
  if (options.layout === 'overlay') return overlay(options);
  return invalid("'tiles' or 'overlay'", 'composite.layout', (options as { layout: unknown }).layout);
}

/** The tiles layout. */
function tiles(options: TilesCompositeOptions): OperatorNode<Frame[], Frame> {
  const common = splitNodeOptions(options, ['layout', 'width', 'height', 'columns', 'background'], 'composite');
  const width = options.width === undefined ? undefined : checkIntegerInRange(options.width, 'composite.width', 1, 16384);
  const height = options.height === undefined ? undefined : checkIntegerInRange(options.height, 'composite.height', 1, 16384);
  if (options.columns !== undefined) checkIntegerInRange(options.columns, 'composite.columns', 1, 64);
  if (options.background !== undefined) checkColor(options.background, 'composite.background');
  const tileOptions = { columns: options.columns, background: options.background };
  return defineFrameSetFilter(
    common,
    (frames) => ({ width: width ?? frames[0]!.width, height: height ?? frames[0]!.height }),
    (inputs, output) => {
      compositeTilesWith(scaleBilinearNative, inputs, output, tileOptions);
    },
    (manager, inputs, output) => gpuCompositeTilesAsync(manager, inputs, output, tileOptions),
  );
}

/** The overlay layout. */
function overlay(options: OverlayCompositeOptions): OperatorNode<Frame[], Frame> {
  const common = splitNodeOptions(options, ['layout', 'x', 'y', 'opacity', 'layers'], 'composite');
  const fallback: OverlayOptions = { x: options.x ?? 0, y: options.y ?? 0, opacity: options.opacity ?? 1 };
  if (options.layers !== undefined && !Array.isArray(options.layers)) invalid('an array of { x, y, opacity }', 'composite.layers', options.layers);
  // Checked now, so both paths (and every frame) see valid placements; sizes do not matter here.
  const none = { width: 0, height: 0 };
  overlayPlacement(fallback, 'composite.', none, none);
  options.layers?.forEach((layer, i) => {
    if (!isPlainObject(layer)) invalid('an object { x, y, opacity }', `composite.layers[${i}]`, layer);
    overlayPlacement(layer, `composite.layers[${i}].`, none, none);
  });
  const placement = (layer: number): OverlayOptions => options.layers?.[layer] ?? fallback;
  return defineFrameSetFilter(
    common,
    (frames) => ({ width: frames[0]!.width, height: frames[0]!.height }),
    (inputs, output) => {
      output.data.set(inputs[0]!.data);
      for (let i = 1; i < inputs.length; i++) overlayRgba(output, inputs[i]!, placement(i - 1));
    },
    (manager, inputs, output) => gpuOverlayAsync(manager, inputs, output, inputs.slice(1).map((_, i) => placement(i))),
  );
}

/** A composite's GPU kernel: from the input frames' textures into the output frame's texture. */
type GpuSetKernel = (manager: VulkanTextureShareManager, inputs: SharedTexture[], output: SharedTexture) => Promise<void>;

/**
 * A fan-in filter: reads every frame of a set, writes one new frame of the given size, with
 * `gpuKernel` when every input and the output are rgba8unorm storage images of the Vulkan backend,
 * else with `kernel` on the pixels. The path is reported once per subscription.
 */
function defineFrameSetFilter(
  common: NodeOptions,
  sizeFor: (frames: readonly Frame[]) => { width: number; height: number },
  kernel: (inputs: RgbaImage[], output: RgbaImage) => void,
  gpuKernel: GpuSetKernel,
): OperatorNode<Frame[], Frame> {
  return defineFilter<Frame[], Frame>(
    'composite',
    (scope) => {
      const reportPath = createPathReporter(scope.name);
      return {
        async next(frames) {
          if (!Array.isArray(frames) || frames.length === 0) {
            throw new GeyserError('InvalidDescriptor', `node '${scope.name}' expects frame sets from fanIn() but received ${Array.isArray(frames) ? 'an empty set' : 'a single frame'}`);
          }
          const first = frames[0]!;
          const { width, height } = sizeFor(frames);
          const request = { width, height, format: first.format };
          const meta = { seq: first.seq, pts: first.pts, metadata: first.metadata };
          const outputUsage = defaultFrameUsage(first.context.manager.backend, first.format);
          const reason = frames.map(cpuReason).find((why) => why !== undefined) ?? outputReason(outputUsage, ['storage-binding']);
          reportPath(reason);
          if (reason === undefined) {
            const out = await scope.acquireFrame(request, meta);
            try {
              await awaitGpuWork(scope, gpuKernel(first.context.manager as VulkanTextureShareManager, frames.map((frame) => frame.texture), out.texture));
            } catch (error) {
              out.release(); // a bad option (say, more columns than inputs) must not cost a pool slot
              throw error;
            }
            scope.emit(out);
            return;
          }
          // Read the inputs first: a format error must not cost an output frame.
          const inputs = frames.map((frame) => readRgba(frame, scope.name));
          const out = await scope.acquireFrame(request, meta);
          const pixels = writablePixels(out);
          kernel(inputs, { data: pixels.data, width, height });
          pixels.commit();
          scope.emit(out);
        },
      };
    },
    common,
  );
}
