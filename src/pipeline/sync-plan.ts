/**
 * Automatic sync insertion: picks the primitive for an edge from where its two ends run and what
 * the backend can do (DESIGN.md, "Sync insertion rules").
 *
 * @module
 */
import { GeyserError } from '../core/errors.js';
import type { Capabilities } from '../core/types.js';
import type { SyncPrimitive } from './sync-point.js';

/** What `pipeline({ sync })` may force on cross-process edges. */
export type SyncOverride = 'auto' | 'timeline-semaphore' | 'fence-wait' | 'message-order';

/** The sync chosen for one edge, with why. */
export interface SyncChoice {
  primitive: SyncPrimitive;
  /** True when a faster primitive exists on better hardware and this one is the fallback. */
  degraded: boolean;
  /** Why this primitive (and, when degraded, what is missing). */
  reason: string;
}

/**
 * Chooses the primitive for an edge whose ends run in `fromProcess` and `toProcess`.
 *
 * @example
 * ```ts
 * chooseSync('parent', 'parent', caps); // { primitive: 'none', ... }
 * chooseSync('child:0', 'parent', hostCaps); // { primitive: 'message-order', ... }
 * ```
 * @param fromProcess - where the producer runs (`'parent'` or `'child:<n>'`)
 * @param toProcess - where the consumer runs
 * @param caps - the backend's capabilities
 */
export function chooseSync(fromProcess: string, toProcess: string, caps: Capabilities, override: SyncOverride = 'auto'): SyncChoice {
  if (fromProcess === toProcess) {
    return { primitive: 'none', degraded: false, reason: 'same process and queue' };
  }
  if (override !== 'auto') return forcedSync(override, caps);
  if (caps.backend === 'host') {
    return { primitive: 'message-order', degraded: false, reason: 'host backend: the frame message orders the producer\'s writes before the consumer\'s reads' };
  }
  if (caps.semaphore.exportable && caps.semaphore.timeline) {
    return { primitive: 'timeline-semaphore', degraded: false, reason: `${caps.device.name}: exportable timeline semaphores (${caps.semaphore.handleTypes.join(', ') || 'opaque-fd'}), one per edge, exported once` };
  }
  // Backends phrase the reason as "GPU 0 (llvmpipe): no ..."; the short device name goes in front.
  const missing = (caps.semaphore.reason ?? (caps.semaphore.exportable ? 'no timeline semaphores' : 'no exportable semaphores')).replace(/^GPU \d+ \([^)]*\): /, '');
  return {
    primitive: 'fence-wait',
    degraded: true,
    reason: `${shortDeviceName(caps.device.name)}: ${missing}; the producer waits for its own queue before sending`,
  };
}

/** 'llvmpipe (LLVM 15.0.6, 256 bits)' -> 'llvmpipe' reads better in one line; lavapipe is llvmpipe. */
function shortDeviceName(name: string): string {
  const short = name.replace(/\s*\(.*\)\s*$/, '');
  return short === 'llvmpipe' ? 'lavapipe' : short;
}

/** The choice for an edge whose primitive the pipeline's `sync` option forces; refused where the backend cannot. */
function forcedSync(override: Exclude<SyncOverride, 'auto'>, caps: Capabilities): SyncChoice {
  const reason = `forced by the pipeline's sync option (automatic choice: ${chooseSync('a', 'b', caps).primitive})`;
  if (override === 'timeline-semaphore' && !(caps.semaphore.exportable && caps.semaphore.timeline)) {
    throw new GeyserError('OperationNotSupported', `sync 'timeline-semaphore' needs exportable timeline semaphores, which the ${caps.backend} backend lacks: ${caps.semaphore.reason ?? 'not exportable'}`);
  }
  if (override === 'message-order' && caps.backend !== 'host') {
    throw new GeyserError('OperationNotSupported', `sync 'message-order' is only correct on the host backend (CPU writes are visible once the message arrives), not on ${caps.backend}`);
  }
  return { primitive: override, degraded: override === 'fence-wait', reason };
}
