/**
 * The messages of a frame edge between two processes (one ShareChannel per edge, both directions).
 * Per frame only `{slot, seq, pts, acquire}` goes down and `{slot, release}` comes back; a slot's
 * texture handle rides along with the first frame that uses the slot, once per edge.
 *
 * @internal
 * @module
 */
import type { TextureFormat } from '../core/formats.js';
import type { TextureUsage } from '../core/usages.js';
import type { SyncPrimitive } from './sync-point.js';

/** The descriptor sent with a slot's first frame, so the receiver can import it. */
export interface SlotDescriptor {
  width: number;
  height: number;
  format: TextureFormat;
  usage: TextureUsage[];
}

/** Downstream: a frame. `d` (and one texture handle) only the first time the slot crosses this edge. */
export interface FrameMessage {
  t: 'f';
  /** Pool id. */
  p: string;
  /** Slot. */
  s: number;
  /** seq. */
  q: number;
  /** pts, microseconds. */
  ts: number;
  /** Acquire point: timeline value (timeline-semaphore edges). */
  a?: number;
  /** Metadata, when not empty. */
  m?: Record<string, unknown>;
  /** Pool name, with the slot's first frame. */
  n?: string;
  /** Slot descriptor, with the slot's first frame. */
  d?: SlotDescriptor;
}

/** Downstream, once at edge setup: the edge's sync objects (their handles ride along). */
export interface SyncMessage {
  t: 'sync';
  primitive: SyncPrimitive;
}

/** Downstream: the producer completed. */
export interface EndMessage {
  t: 'end';
}

/** Downstream: the producer failed. */
export interface ErrorMessage {
  t: 'err';
  code: string;
  message: string;
}

/** Upstream: the consumer released a slot; `r` is the release point (timeline value). */
export interface ReleaseMessage {
  t: 'r';
  p: string;
  s: number;
  r?: number;
}

/** Downstream: several frames emitted in one turn of the event loop, in order (none carries a handle). */
export interface FrameBatchMessage {
  t: 'F';
  f: FrameMessage[];
}

/** Upstream: several releases made in one turn of the event loop. */
export interface ReleaseBatchMessage {
  t: 'R';
  l: ReleaseMessage[];
}

/** Every edge message. */
export type EdgeMessage = FrameMessage | FrameBatchMessage | SyncMessage | EndMessage | ErrorMessage | ReleaseMessage | ReleaseBatchMessage;

/** The key of a slot across processes. */
export function slotKey(poolId: string, slot: number): string {
  return `${poolId}/${slot}`;
}

/** True for a plain object with a string `t`. */
export function isEdgeMessage(value: unknown): value is EdgeMessage {
  return typeof value === 'object' && value !== null && typeof (value as { t?: unknown }).t === 'string';
}
