/**
 * Control messages between the parent and a child segment (fd 3), and the fds a child gets.
 *
 * @internal
 * @module
 */
import type { BackendName } from '../core/types.js';
import type { NodeMetricsSnapshot } from './metrics.js';
import type { PoolCounters } from './texture-pool.js';
import type { SyncPrimitive } from './sync-point.js';

/** The child's fds: control channel, upstream edge, downstream edge. */
export const CONTROL_FD = 3;
export const UPSTREAM_FD = 4;
export const DOWNSTREAM_FD = 5;

/** Where an edge of the child comes from. */
export type EdgeEndpoint = { kind: 'fd' } | { kind: 'listen'; path: string } | { kind: 'none' };

/** Parent -> child, first message: what to run and how it is wired. */
export interface SetupMessage {
  t: 'setup';
  moduleUrl: string;
  factoryOptions: unknown;
  /** Node id in the parent's graph (metrics are reported under it). */
  id: string;
  name: string;
  backend: BackendName;
  deviceUuid?: string | undefined;
  upstream: EdgeEndpoint;
  downstream: EdgeEndpoint;
  upstreamSync: SyncPrimitive;
  downstreamSync: SyncPrimitive;
  /** The node after this segment (it holds frames in flight). */
  downstreamPeer: string;
  /** Edge labels, for messages. */
  upstreamLabel: string;
  downstreamLabel: string;
  /** The neighbour may be restarted: wait for a reconnect instead of failing when its edge closes. */
  upstreamMayRestart: boolean;
  downstreamMayRestart: boolean;
  metricsIntervalMs: number;
}

/** Parent -> child messages after setup. */
export type ParentMessage =
  | SetupMessage
  | { t: 'stop' }
  | { t: 'reconnect'; side: 'up' | 'down'; path: string };

/** Child -> parent messages. */
export type ChildMessage =
  | { t: 'ready'; pid: number }
  | { t: 'listening' }
  | { t: 'metrics'; nodes: NodeMetricsSnapshot[]; pools: PoolCounters[] }
  | { t: 'error'; code: string; message: string }
  | { t: 'done' };
