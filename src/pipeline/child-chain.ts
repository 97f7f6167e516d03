/**
 * The parent side of process boundaries: runs consecutive `inChildProcess` segments as child
 * processes wired to each other directly (the parent hands each a socketpair end), supervises
 * them (exit event plus channel close), restarts or fails per policy, and stops them at teardown
 * (SIGTERM, then SIGKILL after a grace period).
 *
 * @internal
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { debuglog } from 'node:util';
import type { Observable, Subscription } from 'rxjs';
import { ShareChannel } from '../core/channel.js';
import { GeyserError } from '../core/errors.js';
import { PACKAGE_ROOT } from '../core/native.js';
import type { ChildMessage, EdgeEndpoint, SetupMessage } from './child-protocol.js';
import type { PipelineContext } from './context.js';
import type { MetricsRegistry } from './metrics.js';
import { receiveFrames } from './edge-receiver.js';
import { FrameSender } from './edge-sender.js';
import type { Frame } from './frame.js';
import type { SegmentSettings } from './in-child-process.js';
import { createOperator, createSource, nodeSpec, resolveNodeOptions, type NodeEnv, type NodeSpec } from './node.js';
import type { NodeScope } from './node-scope.js';
import { chooseSync, type SyncOverride } from './sync-plan.js';
import type { SyncPrimitive } from './sync-point.js';

const debug = debuglog('geyser');

/** The script every child runs. Always the built one: children run plain Node, not a TS loader. */
const CHILD_MAIN = resolve(PACKAGE_ROOT, 'dist', 'pipeline', 'child-main.js');

/** One segment of a chain and the env it was planned with. @internal */
export interface ChainSegment {
  spec: NodeSpec;
  env: NodeEnv | undefined;
}

/**
 * An Observable (source chain) or the result of applying the chain to `input`: frames coming back
 * from the last child.
 * @internal
 */
export function buildChildChain(chain: ChainSegment[], context: PipelineContext | undefined, input: Observable<unknown> | undefined, metrics?: MetricsRegistry): Observable<unknown> {
  const first = chain[0]!;
  const name = chain.map((segment) => segment.spec.name).join(' > ');
  const options = resolveNodeOptions({ name, input: first.spec.options.input }, 'segment');
  // The parent's side of the chain reports under its own id; each child reports under its node's id.
  const id = `${chain.map((segment) => segment.env?.id ?? segment.spec.name).join('>')}@parent`;
  const sync = first.env?.sync ?? 'auto';
  const env: NodeEnv | undefined = context ? { id, context, sync, ...(metrics ? { metrics } : {}) } : undefined;
  if (input === undefined) {
    const source = createSource<Frame>('segment', options, async (scope) => {
      const runner = new ChainRunner(scope, chain, false, metrics, sync);
      scope.add(() => runner.stop());
      await runner.start();
      await runner.finished;
    });
    return nodeSpec(source).build(env) as Observable<unknown>;
  }
  const operator = createOperator<Frame, Frame>('segment', options, (scope) => {
    const runner = new ChainRunner(scope, chain, true, metrics, sync);
    scope.add(() => runner.stop());
    runner.start().catch((error: unknown) => scope.error(error));
    return {
      next: (frame) => runner.send(frame),
      complete: () => runner.end(),
    };
  });
  return (nodeSpec(operator).build(env) as (source: Observable<unknown>) => Observable<unknown>)(input);
}

interface SegmentState {
  index: number;
  spec: NodeSpec;
  settings: SegmentSettings;
  id: string;
  child: ChildProcess | undefined;
  control: ShareChannel | undefined;
  pid: number | undefined;
  generation: number;
  restarts: number;
  exited: boolean;
  done: boolean;
  reported: { code: string; message: string } | undefined;
  exit: Promise<void>;
  markExited: () => void;
  listening: (() => void) | undefined;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
}

/** One subscription's worth of child processes. */
class ChainRunner {
  readonly #scope: NodeScope<Frame>;
  readonly #segments: SegmentState[];
  readonly #hasInput: boolean;
  readonly #primitive: SyncPrimitive;
  readonly #sender: FrameSender | undefined;
  #receiver: Subscription | undefined;
  #stopping = false;
  #completed = false;
  #tmpDir: string | undefined;
  readonly finished: Promise<void>;
  #finish!: () => void;
  #fail!: (error: unknown) => void;

  readonly #metrics: MetricsRegistry;

  constructor(scope: NodeScope<Frame>, chain: ChainSegment[], hasInput: boolean, metrics: MetricsRegistry | undefined, sync: SyncOverride) {
    this.#scope = scope;
    this.#metrics = metrics ?? scope.context.metrics;
    this.#hasInput = hasInput;
    const context = scope.context;
    this.#primitive = chooseSync('parent', 'child', context.capabilities(), sync).primitive;
    this.#segments = chain.map((segment, index) => {
      const state: SegmentState = {
        index,
        spec: segment.spec,
        settings: segment.spec.segment as SegmentSettings,
        id: segment.env?.id ?? segment.spec.name,
        child: undefined,
        control: undefined,
        pid: undefined,
        generation: 0,
        restarts: 0,
        exited: true,
        done: false,
        reported: undefined,
        exit: Promise.resolve(),
        markExited: () => undefined,
        listening: undefined,
      };
      return state;
    });
    this.finished = new Promise<void>((resolve, reject) => {
      this.#finish = resolve;
      this.#fail = reject;
    });
    this.finished.catch(() => undefined);
    if (hasInput) {
      const first = this.#segments[0]!;
      this.#sender = new FrameSender({
        context,
        primitive: this.#primitive,
        label: `edge parent -> ${first.spec.name}`,
        peerName: first.spec.name,
        onError: (error) => this.#error(error),
      });
    }
  }

  /** Spawns every segment, wired to its neighbours directly. */
  async start(): Promise<void> {
    const segments = this.#segments;
    const last = segments.length - 1;
    // Edge i connects segment i-1 (or the parent) to segment i; edge last+1 goes back to the parent.
    const edges = segments.map((_, index) => (index === 0 && !this.#hasInput ? undefined : ShareChannel.pair({ label: `edge ${index}` })));
    const out = ShareChannel.pair({ label: 'edge out' });
    const childEnds: ShareChannel[] = [];
    try {
      for (const segment of segments) {
        const up = edges[segment.index];
        const down = segment.index === last ? out : edges[segment.index + 1]!;
        this.#spawn(segment, up?.[1], down[0], up ? { kind: 'fd' } : { kind: 'none' }, { kind: 'fd' });
        if (up) childEnds.push(up[1]);
        childEnds.push(down[0]);
      }
    } finally {
      // The children have their own copies now; the parent keeps only its ends.
      for (const end of childEnds) end.close();
    }
    const inbound = edges[0];
    if (inbound && this.#sender) await this.#sender.attach(inbound[0]);
    this.#receive(out[1]);
  }

  /** Sends a frame to the first child (the edge takes its own reference). */
  send(frame: Frame): void {
    this.#sender!.send(frame.retain());
  }

  /** Upstream completed: tell the first child, then wait for the last child's end. */
  async end(): Promise<void> {
    await this.#sender?.end();
    await this.finished;
  }

  /** Stops every child: stop message, channels closed, SIGTERM, SIGKILL after the grace period. */
  stop(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#receiver?.unsubscribe();
    this.#sender?.dispose();
    for (const segment of this.#segments) {
      const { child, control } = segment;
      control?.close();
      if (child && !segment.exited) {
        // After a normal end the child exits by itself once its control channel closes; otherwise
        // (error, unsubscribe) it gets SIGTERM now. Either way SIGKILL follows a grace period.
        const grace = segment.settings.killGraceMs;
        if (!this.#completed) child.kill('SIGTERM');
        const timer = setTimeout(() => {
          if (segment.exited) return;
          debug('child %s (%d) still running %d ms after stop: %s', segment.spec.name, segment.pid, grace, this.#completed ? 'SIGTERM' : 'SIGKILL');
          child.kill(this.#completed ? 'SIGTERM' : 'SIGKILL');
          if (this.#completed) setTimeout(() => segment.exited || child.kill('SIGKILL'), grace).unref();
        }, grace);
        timer.unref();
        this.#scope.context.trackPending(segment.exit.then(() => clearTimeout(timer)));
      }
    }
    const dir = this.#tmpDir;
    if (dir) this.#scope.context.trackPending(Promise.all(this.#segments.map((segment) => segment.exit)).then(() => rmSync(dir, { recursive: true, force: true })));
  }

  #receive(channel: ShareChannel): void {
    const context = this.#scope.context;
    const last = this.#segments[this.#segments.length - 1]!;
    const generation = last.generation;
    this.#receiver?.unsubscribe();
    this.#receiver = receiveFrames(channel, { context, primitive: this.#primitive, label: `edge ${last.spec.name} -> parent`, holderName: this.#scope.name }).subscribe({
      next: (frame) => this.#scope.emit(frame),
      complete: () => {
        channel.close();
        this.#completed = true;
        // The children exit once downstream released their frames; wait (bounded: a node further
        // down may hold frames until it completes) so their final metrics arrive and none outlives
        // `done`. Teardown stops any that take longer. A loaded machine needs a few seconds.
        const grace = Math.max(5000, ...this.#segments.map((segment) => segment.settings.killGraceMs));
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, grace);
          timer.unref();
        });
        void Promise.race([Promise.all(this.#segments.map((segment) => segment.exit)), timeout]).then(() => {
          clearTimeout(timer);
          this.#finish();
        });
      },
      error: (error: unknown) => {
        channel.close();
        if (GeyserError.is(error, 'ChannelClosed')) {
          // The child went away; its exit event names why (and may restart it). Wait for it briefly.
          const timer = setTimeout(() => {
            if (last.generation === generation && !last.exited && !this.#stopping) this.#error(error);
          }, 2000);
          timer.unref();
          return;
        }
        this.#error(error);
      },
    });
    this.#scope.add(() => channel.close());
  }

  #spawn(segment: SegmentState, up: ShareChannel | undefined, down: ShareChannel | undefined, upstream: EdgeEndpoint, downstream: EdgeEndpoint): void {
    const context = this.#scope.context;
    const [control, childControl] = ShareChannel.pair({ label: `control ${segment.spec.name}` });
    const stdio: Array<'ignore' | 'inherit' | number> = ['ignore', 'inherit', 'inherit', childControl.fd, up ? up.fd : 'ignore', down ? down.fd : 'ignore'];
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, [CHILD_MAIN], { stdio, env: { ...process.env, ...segment.settings.env } });
    } finally {
      childControl.close();
    }
    segment.generation++;
    segment.child = child;
    segment.control = control;
    segment.pid = child.pid;
    segment.exited = false;
    segment.done = false;
    segment.reported = undefined;
    segment.exit = new Promise<void>((resolve) => {
      segment.markExited = resolve;
    });
    this.#scope.add(() => control.close());
    const generation = segment.generation;
    child.once('error', (error) => {
      if (segment.generation === generation) this.#error(new GeyserError('NodeFailed', `node '${segment.spec.name}' could not start: ${error.message}`, { cause: error }));
    });
    child.once('exit', (code, signal) => {
      segment.exited = true;
      segment.markExited();
      if (segment.generation !== generation) return;
      this.#onExit(segment, code, signal);
    });
    control.messages$.subscribe({
      next: ({ message, handles }) => {
        if (handles.length > 0) throw new GeyserError('ProtocolError', `control channel of '${segment.spec.name}' carried handles`);
        this.#onControl(segment, message as ChildMessage);
      },
      error: () => undefined, // the exit event reports the child's end
    });
    const index = segment.index;
    const last = this.#segments.length - 1;
    const previous = this.#segments[index - 1];
    const next = this.#segments[index + 1];
    const caps = context.capabilities();
    const setup: SetupMessage = {
      t: 'setup',
      moduleUrl: segment.settings.moduleUrl,
      factoryOptions: segment.settings.factoryOptions,
      id: segment.id,
      name: segment.spec.name,
      backend: context.backend,
      deviceUuid: caps.device.deviceUuid,
      upstream,
      downstream,
      upstreamSync: this.#primitive,
      downstreamSync: this.#primitive,
      downstreamPeer: index === last ? this.#scope.name : next!.spec.name,
      upstreamLabel: `edge ${previous?.spec.name ?? 'parent'} -> ${segment.spec.name}`,
      downstreamLabel: `edge ${segment.spec.name} -> ${next?.spec.name ?? 'parent'}`,
      upstreamMayRestart: previous?.settings.onFailure === 'restart',
      downstreamMayRestart: next?.settings.onFailure === 'restart',
      metricsIntervalMs: 250,
    };
    control.send(setup).catch((error: unknown) => this.#error(error));
    debug('spawned %s as pid %d (generation %d)', segment.spec.name, child.pid, generation);
  }

  #onControl(segment: SegmentState, message: ChildMessage): void {
    switch (message.t) {
      case 'ready':
        segment.pid = message.pid;
        return;
      case 'listening':
        segment.listening?.();
        return;
      case 'metrics':
        for (const node of message.nodes) node.restarts = segment.restarts;
        this.#scope.metrics.restarts = this.#segments.reduce((sum, each) => sum + each.restarts, 0);
        if (this.#sender) this.#scope.metrics.reclaimed = this.#sender.reclaimed;
        this.#metrics.recordRemote(message.nodes, message.pools);
        return;
      case 'error':
        segment.reported = { code: message.code, message: message.message };
        return;
      case 'done':
        segment.done = true;
        return;
    }
  }

  #onExit(segment: SegmentState, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#stopping || (segment.done && code === 0)) return;
    const how = describeExit(code, signal);
    debug('child %s (%d) %s', segment.spec.name, segment.pid, how);
    const { onFailure, maxRestarts } = segment.settings;
    if (onFailure === 'restart' && segment.restarts < maxRestarts && !segment.reported) {
      segment.restarts++;
      this.#restart(segment).catch((error: unknown) => this.#error(error));
      return;
    }
    const detail = segment.reported ? `: ${segment.reported.message}` : '';
    const exhausted = onFailure === 'restart' && !segment.reported ? ` after ${segment.restarts} restarts` : '';
    this.#error(new GeyserError('NodeFailed', `node '${segment.spec.name}' (child pid ${segment.pid}) ${how}${exhausted}${detail}`));
  }

  /** Respawns a segment; a child neighbour reconnects to a socket the new child listens on. */
  async #restart(segment: SegmentState): Promise<void> {
    const index = segment.index;
    const last = this.#segments.length - 1;
    const previous = this.#segments[index - 1];
    const next = this.#segments[index + 1];
    this.#tmpDir ??= mkdtempSync(join(tmpdir(), 'geyser-'));
    const path = (side: string): string => join(this.#tmpDir!, `${index}-${segment.generation + 1}-${side}.sock`);
    let up: [ShareChannel, ShareChannel] | undefined;
    let down: [ShareChannel, ShareChannel] | undefined;
    let upstream: EdgeEndpoint = { kind: 'none' };
    let downstream: EdgeEndpoint;
    if (previous) upstream = { kind: 'listen', path: path('up') };
    else if (this.#hasInput) {
      this.#sender!.detach();
      up = ShareChannel.pair({ label: `edge parent -> ${segment.spec.name}` });
      upstream = { kind: 'fd' };
    }
    if (next) downstream = { kind: 'listen', path: path('down') };
    else {
      down = ShareChannel.pair({ label: `edge ${segment.spec.name} -> parent` });
      downstream = { kind: 'fd' };
    }
    const listening = new Promise<void>((resolve) => {
      segment.listening = resolve;
    });
    try {
      this.#spawn(segment, up?.[1], down?.[0], upstream, downstream);
    } finally {
      up?.[1].close();
      down?.[0].close();
    }
    debug('restarting %s (restart %d of %d)', segment.spec.name, segment.restarts, segment.settings.maxRestarts);
    if (up) await this.#sender!.attach(up[0]);
    if (down) this.#receive(down[1]);
    if (upstream.kind === 'listen' || downstream.kind === 'listen') {
      await listening;
      if (previous && upstream.kind === 'listen') await previous.control?.send({ t: 'reconnect', side: 'down', path: upstream.path });
      if (next && downstream.kind === 'listen') await next.control?.send({ t: 'reconnect', side: 'up', path: downstream.path });
    }
    if (index === last) debug('%s restarted', segment.spec.name);
  }

  #error(error: unknown): void {
    if (this.#stopping) return;
    this.#fail(error);
    this.#scope.error(error);
  }
}
