/**
 * CPU pixel kernels, PNG codec and the pixel nodes (sources, filters, sinks, preview).
 *
 * @module
 */
export { createRgbaImage, type RgbaImage } from './kernels/rgba-image.js';
export { grayscaleRgba } from './kernels/grayscale.js';
export { scaleBilinear, type PixelRect } from './kernels/scale.js';
export { boxBlur, MAX_BLUR_RADIUS } from './kernels/box-blur.js';
export { rgbaToYuv420, yuv420ByteLength, YUV420_LAYOUTS, YUV_MATRICES, YUV_COEFFICIENTS, type Yuv420Layout, type YuvMatrix } from './kernels/yuv420.js';
export { compositeTiles, overlayRgba, fillRgba, tileRect, type Rgba, type TileOptions, type OverlayOptions } from './kernels/composite.js';
export { crc32 } from './kernels/crc32.js';
export { drawText, glyphPixel, FONT_CHARACTERS, GLYPH_WIDTH, GLYPH_HEIGHT, GLYPH_ADVANCE } from './kernels/bitmap-font.js';
export { stampChecksum, verifyChecksum, STAMP_BYTES, MAX_STAMP_SEQ, type ChecksumVerdict } from './kernels/checksum-stamp.js';
export { drawTestPattern, testPatternLayout, BAR_COLORS, type TestPatternLayout } from './kernels/test-pattern.js';
export { decodePng, PNG_SIGNATURE } from './codecs/png-decode.js';
export { encodePng, type PngEncodeOptions } from './codecs/png-encode.js';
