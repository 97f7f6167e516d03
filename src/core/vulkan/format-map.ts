/**
 * Formats and usages as the native Vulkan code numbers them: a format is its index in
 * {@link ALL_FORMATS} (native/vulkan/format_table.cc has the same order), a usage set is a bit
 * mask in {@link ALL_USAGES} order.
 *
 * @internal
 * @module
 */
import { ALL_FORMATS, type TextureFormat } from '../formats.js';
import { ALL_USAGES, type TextureUsage } from '../usages.js';

/** The native format index. */
export function formatIndex(format: TextureFormat): number {
  return ALL_FORMATS.indexOf(format);
}

/** The native usage mask: copy-src 1, copy-dst 2, texture-binding 4, render-attachment 8, storage-binding 16. */
export function usageMask(usage: readonly TextureUsage[]): number {
  let mask = 0;
  for (const entry of usage) mask |= 1 << ALL_USAGES.indexOf(entry);
  return mask;
}

/** The usages the capability table probes each format with. */
export const CAPABILITY_PROBE_USAGE: readonly TextureUsage[] = ['copy-src', 'copy-dst', 'texture-binding'];
