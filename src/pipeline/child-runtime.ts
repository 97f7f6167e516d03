/**
 * The child side of a process boundary: one segment's node between two frame edges, reporting to
 * the parent on the control channel.
 *
 * @internal
 * @module
 */
import { isObservable, Observable, type Subscription } from 'rxjs';
import { debuglog } from 'node:util';
import { ShareChannel } from '../core/channel.js';
import { GeyserError } from '../core/errors.js';
import { createPipelineContext, type PipelineContext } from './context.js';
import { CONTROL_FD, DOWNSTREAM_FD, UPSTREAM_FD, type ChildMessage, type EdgeEndpoint, type ParentMessage, type SetupMessage } from './child-protocol.js';
import { receiveFrames } from './edge-receiver.js';
import { FrameSender } from './edge-sender.js';
import { Frame, releaseFrames } from './frame.js';
import { isNode, nodeSpec } from './node.js';
import { RelayHandles } from './relay-handles.js';

const debug = debuglog('geyser');

/** Runs the segment this process was spawned for; resolves when it is set up. @internal */
export async function runChildSegment(): Promise<void> {
  const control = ShareChannel.fromFd(CONTROL_FD, { label: 'control' });
  const { message } = await control.receive();
  const setup = message as SetupMessage;
  if (setup?.t !== 'setup') throw new GeyserError('ProtocolError', `expected a setup message on the control channel, received ${JSON.stringify(message).slice(0, 80)}`);
  let segment: ChildSegment | undefined;
  try {
    segment = new ChildSegment(control, setup, await openContext(setup));
    await segment.start();
  } catch (error) {
    // Tell the parent why (it names this in NodeFailed), then exit with EX_SOFTWARE.
    const code = GeyserError.is(error) ? error.code : 'Other';
    await control.send({ t: 'error', code, message: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
    if (segment) await segment.abort();
    control.close();
    process.exitCode = 70;
    setImmediate(() => process.exit(70));
  }
}

async function openContext(setup: SetupMessage): Promise<PipelineContext> {
  const context = await createPipelineContext({ backend: setup.backend });
  const uuid = context.capabilities().device.deviceUuid;
  if (setup.deviceUuid && uuid && uuid !== setup.deviceUuid) {
    context.dispose();
    throw new GeyserError('DeviceMismatch', `child opened device ${uuid}, but the pipeline runs on ${setup.deviceUuid}`);
  }
  return context;
}

/** Opens an edge in two steps: listen (if it listens) now, accept later, so the parent can be told in between. */
async function prepareEdge(endpoint: EdgeEndpoint, fd: number, label: string): Promise<() => Promise<ShareChannel | undefined>> {
  if (endpoint.kind === 'none') return async () => undefined;
  if (endpoint.kind === 'fd') {
    const channel = ShareChannel.fromFd(fd, { label });
    return async () => channel;
  }
  const server = await ShareChannel.listen(endpoint.path);
  return async () => {
    try {
      return await server.accept();
    } finally {
      server.close();
    }
  };
}

class ChildSegment {
  readonly #relay: RelayHandles | undefined;
  readonly #sender: FrameSender;
  #upstream: ShareChannel | undefined;
  #downstream: ShareChannel | undefined;
  #output: Subscription | undefined;
  #metricsTimer: ReturnType<typeof setInterval> | undefined;
  /** Called with each new upstream channel (first, and after the upstream segment restarts). */
  #onUpstream: ((channel: ShareChannel) => void) | undefined;
  #finished = false;

  constructor(
    readonly control: ShareChannel,
    readonly setup: SetupMessage,
    readonly context: PipelineContext,
  ) {
    // A child that forwards frames it received needs a copy of each received slot to hand on.
    this.#relay = setup.upstream.kind === 'none' ? undefined : new RelayHandles();
    this.#sender = new FrameSender({
      context,
      primitive: setup.downstreamSync,
      label: setup.downstreamLabel,
      peerName: setup.downstreamPeer,
      relay: this.#relay,
      onError: (error) => void this.#fail(error),
      onClosed: () => {
        if (!setup.downstreamMayRestart) void this.#fail(new GeyserError('ChannelClosed', `${setup.downstreamLabel}: the downstream process went away`));
      },
    });
  }

  async start(): Promise<void> {
    const { setup, context } = this;
    this.control.messages$.subscribe({
      next: ({ message }) => void this.#onControl(message as ParentMessage),
      // The parent went away: nothing may outlive it.
      complete: () => this.#exit(0),
      error: () => this.#exit(0),
    });
    const acceptUpstream = await prepareEdge(setup.upstream, UPSTREAM_FD, setup.upstreamLabel);
    const acceptDownstream = await prepareEdge(setup.downstream, DOWNSTREAM_FD, setup.downstreamLabel);
    if (setup.upstream.kind === 'listen' || setup.downstream.kind === 'listen') await this.#send({ t: 'listening' });
    const [upstream, downstream] = await Promise.all([acceptUpstream(), acceptDownstream()]);
    this.#upstream = upstream;
    this.#downstream = downstream;
    if (!downstream) throw new GeyserError('ProtocolError', 'a child segment needs a downstream edge');

    const module = (await import(setup.moduleUrl)) as { default?: unknown };
    if (typeof module.default !== 'function') {
      throw new GeyserError('InvalidDescriptor', `module ${setup.moduleUrl} must export a default factory returning a node, but its default export is ${typeof module.default}`);
    }
    const node = await (module.default as (options: unknown) => unknown)(setup.factoryOptions);
    if (!isNode(node)) throw new GeyserError('InvalidDescriptor', `the default factory of ${setup.moduleUrl} must return a Geyser node (defineSource/defineFilter/defineSink)`);
    const built = nodeSpec(node).build({ id: setup.id, context });
    let output: Observable<unknown>;
    if (isObservable(built)) {
      if (upstream) throw new GeyserError('InvalidDescriptor', `node '${setup.name}' is a source, but the segment has an upstream`);
      output = built;
    } else {
      if (!upstream) throw new GeyserError('InvalidDescriptor', `node '${setup.name}' needs input, but the segment is first in the pipeline (return a source)`);
      output = built(this.#input(upstream));
    }
    await this.#sender.attach(downstream);
    this.#metricsTimer = setInterval(() => void this.#reportMetrics(), setup.metricsIntervalMs);
    this.#metricsTimer.unref();
    this.#output = output.subscribe({
      next: (value) => {
        if (value instanceof Frame) this.#sender.send(value);
        else releaseFrames(value);
      },
      error: (error: unknown) => void this.#fail(error),
      complete: () => void this.#complete(),
    });
    await this.#send({ t: 'ready', pid: process.pid });
    debug('child %s (%d) running %s', setup.name, process.pid, setup.moduleUrl);
  }

  /** Frames from upstream, across upstream restarts (the parent sends a reconnect). */
  #input(first: ShareChannel): Observable<Frame> {
    const { setup, context } = this;
    return new Observable<Frame>((subscriber) => {
      let current: Subscription | undefined;
      const attach = (channel: ShareChannel): void => {
        current?.unsubscribe();
        current = receiveFrames(channel, { context, primitive: setup.upstreamSync, label: setup.upstreamLabel, holderName: setup.name, relay: this.#relay }).subscribe({
          next: (frame) => subscriber.next(frame),
          complete: () => subscriber.complete(),
          error: (error: unknown) => {
            if (setup.upstreamMayRestart && GeyserError.is(error, 'ChannelClosed')) {
              channel.close();
              debug('child %s: upstream went away; waiting for its restart', setup.name);
              return;
            }
            subscriber.error(error);
          },
        });
      };
      this.#onUpstream = attach;
      attach(first);
      return () => current?.unsubscribe();
    });
  }

  async #onControl(message: ParentMessage): Promise<void> {
    try {
      if (message.t === 'stop') {
        this.#exit(0);
      } else if (message.t === 'reconnect') {
        const channel = await ShareChannel.connect(message.path, { timeoutMs: 5000 });
        if (message.side === 'down') {
          this.#downstream?.close();
          this.#downstream = channel;
          await this.#sender.attach(channel);
        } else {
          this.#upstream?.close();
          this.#upstream = channel;
          this.#onUpstream?.(channel);
        }
      }
    } catch (error) {
      await this.#fail(error);
    }
  }

  /** Frees everything after a failed start (the caller reports the error). */
  async abort(): Promise<void> {
    this.#exit(70);
  }

  async #complete(): Promise<void> {
    try {
      await this.#sender.end();
      // Stay until downstream released every frame, so our pools drain before we exit.
      await this.#sender.drained();
      await this.#reportMetrics();
      await this.#send({ t: 'done' });
    } catch (error) {
      await this.#fail(error);
      return;
    }
    this.#exit(0);
  }

  async #fail(error: unknown): Promise<void> {
    if (this.#finished) return;
    debug('child %s failed: %s', this.setup.name, error instanceof Error ? error.message : String(error));
    const code = GeyserError.is(error) ? error.code : 'Other';
    await this.#sender.fail(error);
    await this.#send({ t: 'error', code, message: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
    this.#exit(1);
  }

  async #reportMetrics(): Promise<void> {
    const snapshot = this.context.metrics.snapshot(this.context.poolCounters());
    for (const node of snapshot.nodes) {
      node.process = process.pid;
      node.reclaimed += this.#sender.reclaimed;
    }
    await this.#send({ t: 'metrics', nodes: snapshot.nodes, pools: snapshot.pools }).catch(() => undefined);
  }

  async #send(message: ChildMessage): Promise<void> {
    if (!this.control.closed) await this.control.send(message);
  }

  #exit(code: number): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#metricsTimer) clearInterval(this.#metricsTimer);
    this.#output?.unsubscribe();
    this.#sender.dispose();
    this.#relay?.dispose();
    this.#upstream?.close();
    this.#downstream?.close();
    this.control.close();
    try {
      this.context.dispose();
    } catch (error) {
      process.stderr.write(`geyser child: ${(error as Error).message}\n`);
      code = code || 1;
    }
    process.exitCode = code;
    setImmediate(() => process.exit(code));
  }
}
