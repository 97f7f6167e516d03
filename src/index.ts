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
export { locateFfmpeg, locateFfprobe, type LocatedTool, type LocateOptions, type FfmpegTool } from './nodes/ffmpeg/locate.js';
export { FfmpegEncoder, yuv420pFrameBytes, type EncodeResult } from './nodes/ffmpeg/encoder.js';
export { FfmpegDecoder, type DecodeOptions } from './nodes/ffmpeg/decoder.js';
export { fluentFfmpegBackend } from './nodes/ffmpeg/fluent-backend.js';
export type { EncoderBackend, EncoderJob, EncoderProgress, EncoderExit, RunningEncoder } from './nodes/ffmpeg/backend.js';
export type { EncodeOptions, EncoderOpenOptions, EncoderTransport } from './nodes/ffmpeg/encode-options.js';
export { probeVideo, type VideoProbe } from './nodes/ffmpeg/probe.js';
