/**
 * CPU pixel kernels, PNG codec and the pixel nodes (sources, filters, sinks, preview).
 *
 * @module
 */
export { createRgbaImage, type RgbaImage } from './kernels/rgba-image.js';
export { grayscaleRgba } from './kernels/grayscale.js';
export { grayscaleRgbaNative } from './kernels/grayscale-native.js';
export { boxBlurNative } from './kernels/box-blur-native.js';
export { scaleBilinearNative } from './kernels/scale-native.js';
export { scaleBilinear, type PixelRect } from './kernels/scale.js';
export { boxBlur, MAX_BLUR_RADIUS } from './kernels/box-blur.js';
export { rgbaToYuv420Native, rgbaToYuv420Async, type Yuv420AsyncOptions } from './kernels/yuv420-native.js';
export { rgbaToYuv420, yuv420ByteLength, YUV420_LAYOUTS, YUV_MATRICES, YUV_COEFFICIENTS, type Yuv420Layout, type YuvMatrix } from './kernels/yuv420.js';
export { compositeTiles, overlayRgba, fillRgba, tileRect, type Rgba, type TileOptions, type OverlayOptions } from './kernels/composite.js';
export { crc32 } from './kernels/crc32.js';
export { drawText, glyphPixel, FONT_CHARACTERS, GLYPH_WIDTH, GLYPH_HEIGHT, GLYPH_ADVANCE } from './kernels/bitmap-font.js';
export { stampChecksum, verifyChecksum, STAMP_BYTES, MAX_STAMP_SEQ, type ChecksumVerdict } from './kernels/checksum-stamp.js';
export { drawTestPattern, testPatternLayout, BAR_COLORS, type TestPatternLayout } from './kernels/test-pattern.js';
export { decodePng, PNG_SIGNATURE } from './codecs/png-decode.js';
export { encodePng, type PngEncodeOptions } from './codecs/png-encode.js';
export { swapRedBlue } from './kernels/swap-red-blue.js';
export { testPattern, TEST_PATTERN_FORMATS, type TestPatternOptions } from './testPattern.js';
export { imageSource, type ImageSourceOptions } from './imageSource.js';
export { grayscale, type GrayscaleOptions } from './grayscale.js';
export { scale, type ScaleOptions } from './scale.js';
export { blur, type BlurOptions } from './blur.js';
export { colorConvert, type ColorConvertOptions, type YuvFrameMetadata } from './colorConvert.js';
export { cpuFilter, type CpuFilterOptions, type PixelFunction } from './cpuFilter.js';
export { composite, type CompositeOptions, type TilesCompositeOptions, type OverlayCompositeOptions } from './composite.js';
export { nullSink, type NullSinkOptions } from './nullSink.js';
export { hashSink, type HashSinkOptions, type HashSinkNode, type FrameHash } from './hashSink.js';
export { pngSink, type PngSinkOptions } from './pngSink.js';
export { preview, type PreviewOptions } from './preview.js';
export { encode, type EncodeNodeOptions } from './encode.js';
export { ffmpegSource, type FfmpegSourceOptions } from './ffmpegSource.js';
