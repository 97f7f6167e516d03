/**
 * Geyser: zero-copy shared GPU textures and multi-process frame pipelines for Node.js.
 *
 * @packageDocumentation
 */
export { GeyserError, GeyserAggregateError, type GeyserErrorCode, type GeyserErrorOptions } from './core/errors.js';
export { TextureFormat, ALL_FORMATS, formatInfo, isTextureFormat, textureByteLength, type FormatInfo, type FormatAspects, type FormatSampleType } from './core/formats.js';
export { TextureUsage, ALL_USAGES, isTextureUsage } from './core/usages.js';
export { validateDescriptor, MAX_TEXTURE_DIMENSION, type TextureDescriptor, type ValidatedDescriptor } from './core/descriptor.js';
export { createTextureShareManager, type ManagerOptions } from './core/manager.js';
export { chooseAutoBackend, type BackendVerdict } from './core/backend-choice.js';
export { TextureShareManagerBase } from './core/manager-base.js';
export { liveHandleCount } from './core/handles.js';
export type * from './core/types.js';
export { HostTextureShareManager } from './core/host/host-texture-share-manager.js';
export { HostTexture } from './core/host/host-texture.js';
export { HostSemaphore } from './core/host/host-semaphore.js';
export { HostFence } from './core/host/host-fence.js';
export { ShareChannel, type PeerCredentials, type ReceivedMessage } from './core/channel.js';
export { ShareChannelServer } from './core/channel-server.js';
export { releaseReceivedHandles } from './core/channel-handles.js';
export type { ShareChannelOptions, ConnectOptions, ListenOptions } from './core/channel-options.js';
export { VulkanTextureShareManager, type ExistingVulkanObjects, type VulkanSemaphoreOptions, type VulkanFenceOptions } from './core/vulkan/manager.js';
export { VulkanTexture, type VulkanImageInfo } from './core/vulkan/texture.js';
export { VulkanSemaphore, type VulkanSyncHandleType } from './core/vulkan/semaphore.js';
export { VulkanFence } from './core/vulkan/fence.js';
export { Frame, type FrameInit } from './pipeline/frame.js';
export { TexturePool, type TexturePoolOptions, type PoolCounters, type PoolLease, type AcquireOptions } from './pipeline/texture-pool.js';
export { createPipelineContext, PipelineContext, type PipelineContextOptions } from './pipeline/context.js';
export { defineSource, defineFilter, defineSink } from './pipeline/define-node.js';
export { NodeScope, type FrameRequest, type AcquireFrameInit, type NodePoolOptions } from './pipeline/node-scope.js';
export type { NodeOptions, NodeHandlers, NodeKind, SourceNode, OperatorNode } from './pipeline/node.js';
export type { BackpressurePolicy, EdgeOptions } from './pipeline/backpressure.js';
export type { SyncPrimitive, SyncPoint } from './pipeline/sync-point.js';
export { chooseSync, type SyncChoice, type SyncOverride } from './pipeline/sync-plan.js';
export { pipeline, PipelineRun, type PipelineOptions, type PipelineStage } from './pipeline/pipeline.js';
export type { PipelineDescription, DescribedNode, DescribedEdge } from './pipeline/graph.js';
export type { MetricsSnapshot, NodeMetricsSnapshot } from './pipeline/metrics.js';
export { fanOut, fanOutWith, type Branch } from './pipeline/fan-out.js';
export { fanIn, fanInWith } from './pipeline/fan-in.js';
export { inChildProcess, type ChildProcessOptions, type FailurePolicy } from './pipeline/in-child-process.js';
export * from './nodes/index.js';
export { locateFfmpeg, locateFfprobe, type LocatedTool, type LocateOptions, type FfmpegTool } from './nodes/ffmpeg/locate.js';
export { FfmpegEncoder, yuv420pFrameBytes, type EncodeResult } from './nodes/ffmpeg/encoder.js';
export { FfmpegDecoder } from './nodes/ffmpeg/decoder.js';
export type { DecodeOptions } from './nodes/ffmpeg/decode-options.js';
export { fluentFfmpegBackend } from './nodes/ffmpeg/fluent-backend.js';
export type { EncoderBackend, EncoderJob, EncoderProgress, EncoderExit, RunningEncoder } from './nodes/ffmpeg/backend.js';
export type { EncodeOptions, EncoderOpenOptions, EncoderTransport } from './nodes/ffmpeg/encode-options.js';
export { probeVideo, type VideoProbe } from './nodes/ffmpeg/probe.js';
export type { ComputeDispatch, ComputePass, ComputePasses, ComputeBindings } from './core/vulkan/compute.js';
export { computeFilter, type ComputeFilterOptions } from './nodes/gpu/computeFilter.js';
export { gpuGrayscale, gpuGrayscaleAsync } from './nodes/gpu/gpuGrayscale.js';
export { gpuScale, gpuScaleAsync } from './nodes/gpu/gpuScale.js';
export { gpuBoxBlur, gpuBoxBlurAsync, GPU_MAX_BLUR_RADIUS } from './nodes/gpu/gpuBoxBlur.js';
export { gpuRgbaToYuv420, gpuRgbaToYuv420Async, createYuv420Planes, readYuv420, type Nv12Planes, type I420Planes, type Yuv420Planes } from './nodes/gpu/gpuRgbaToYuv420.js';
export { gpuRgbaToYuv420Packed, gpuRgbaToYuv420PackedAsync, createYuv420PackedTexture } from './nodes/gpu/gpuRgbaToYuv420Packed.js';
export { gpuLumaHistogram, gpuLumaHistogramAsync } from './nodes/gpu/gpuLumaHistogram.js';
export { gpuTestPattern, gpuTestPatternAsync } from './nodes/gpu/gpuTestPattern.js';
