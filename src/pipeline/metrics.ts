/**
 * Per-node and per-pool counters, and the snapshots `run.metrics$` emits.
 *
 * @module
 */
import type { PoolCounters } from './texture-pool.js';

/** One node's figures in a {@link MetricsSnapshot}. */
export interface NodeMetricsSnapshot {
  /** Node id in the graph (`n0`, `n1`, ...; or the node name outside a pipeline). */
  id: string;
  name: string;
  /** `'parent'` or the child process's pid. */
  process: 'parent' | number;
  framesIn: number;
  framesOut: number;
  /** Frames dropped by this node's input policy. */
  dropped: number;
  /**
   * Frames this node sent to a child process that died holding them: their slots were taken back.
   * Some may have reached the consumer already (a pass-through child forwards before releasing).
   */
  reclaimed: number;
  /** Frames waiting in this node's input queue now. */
  queued: number;
  /** Frames per second handled since the previous snapshot. */
  fps: number;
  /** Mean time from a frame's arrival to its handler finishing, ms, since the previous snapshot. */
  latencyMs: number;
  /** Restarts of a child segment. */
  restarts: number;
}

/** What `run.metrics$` emits and `run.metricsSnapshot()` returns. */
export interface MetricsSnapshot {
  /** `Date.now()` when taken. */
  at: number;
  nodes: NodeMetricsSnapshot[];
  /** Pool counters (occupancy: `leasesOut` of `slots`). */
  pools: PoolCounters[];
}

/**
 * Counters of one node, updated by the node helper.
 * @internal
 */
export class NodeMetrics {
  framesIn = 0;
  framesOut = 0;
  dropped = 0;
  reclaimed = 0;
  queued = 0;
  restarts = 0;
  process: 'parent' | number = 'parent';
  #latencySumMs = 0;
  #latencyCount = 0;
  #lastHandled = 0;
  #lastAt = performance.now();
  handled = 0;

  constructor(
    readonly id: string,
    readonly name: string,
  ) {}

  /** Records one handled frame that arrived at `arrivedAt` (performance.now()). */
  recordHandled(arrivedAt: number): void {
    this.handled++;
    this.#latencySumMs += performance.now() - arrivedAt;
    this.#latencyCount++;
  }

  /** Figures since the previous call (fps and latency are per interval). */
  snapshot(): NodeMetricsSnapshot {
    const now = performance.now();
    const seconds = (now - this.#lastAt) / 1000;
    const handledNow = Math.max(this.handled, this.framesOut);
    const fps = seconds > 0 ? (handledNow - this.#lastHandled) / seconds : 0;
    const latencyMs = this.#latencyCount > 0 ? this.#latencySumMs / this.#latencyCount : 0;
    this.#lastAt = now;
    this.#lastHandled = handledNow;
    this.#latencySumMs = 0;
    this.#latencyCount = 0;
    return {
      id: this.id,
      name: this.name,
      process: this.process,
      framesIn: this.framesIn,
      framesOut: this.framesOut,
      dropped: this.dropped,
      reclaimed: this.reclaimed,
      queued: this.queued,
      fps,
      latencyMs,
      restarts: this.restarts,
    };
  }
}

/**
 * The metrics of one pipeline: nodes register here, pools are listed by the context.
 * @internal
 */
export class MetricsRegistry {
  readonly #nodes: NodeMetrics[] = [];
  /** Figures reported by child processes, by node id (latest wins). */
  readonly #remote = new Map<string, NodeMetricsSnapshot>();
  readonly #remotePools = new Map<string, PoolCounters>();

  /** A new node's counters. */
  node(id: string, name: string): NodeMetrics {
    const metrics = new NodeMetrics(id, name);
    this.#nodes.push(metrics);
    return metrics;
  }

  /** Records figures a child process reported. */
  recordRemote(nodes: readonly NodeMetricsSnapshot[], pools: readonly PoolCounters[]): void {
    for (const node of nodes) this.#remote.set(node.id, node);
    for (const pool of pools) this.#remotePools.set(pool.id, pool);
  }

  /** All node figures, local then remote, and the given pools plus the remote ones. */
  snapshot(localPools: readonly PoolCounters[]): MetricsSnapshot {
    const nodes = this.#nodes.map((node) => node.snapshot());
    const known = new Set(nodes.map((node) => node.id));
    for (const [id, node] of this.#remote) if (!known.has(id)) nodes.push(node);
    return { at: Date.now(), nodes, pools: [...localPools, ...this.#remotePools.values()] };
  }
}
