/**
 * Options of {@link ShareChannel} and {@link ShareChannelServer}, their defaults and validation.
 *
 * @module
 */
import { checkIntegerInRange, checkKnownKeys, expectedMessage, isPlainObject } from './validate.js';

/** Options every channel takes (pair, fromFd, connect, and the channels a server accepts). */
export interface ShareChannelOptions {
  /** A name for error messages (`channel 'worker-1' is closed`); default: the path, fd or `pair#n`. */
  label?: string;
  /** Largest message (JSON envelope) accepted or sent, in bytes; default 65536, range 64 to 196608. */
  maxMessageBytes?: number;
  /** Most handles (fds) in one message; default 64, range 0 to 253 (the kernel's SCM_MAX_FD). */
  maxHandles?: number;
  /**
   * Received messages buffered before nobody consumes them; default 256, range 1 to 65536. When the
   * buffer is full the channel stops reading, so the peer's sends queue in the kernel (backpressure).
   */
  maxQueuedMessages?: number;
}

/** Options of {@link ShareChannel.connect}. */
export interface ConnectOptions extends ShareChannelOptions {
  /** Give up when the server has not taken the connection after this many ms; default 5000, 0 waits forever. */
  timeoutMs?: number;
}

/** Options of {@link ShareChannel.listen}; the channel options apply to every accepted channel. */
export interface ListenOptions extends ShareChannelOptions {
  /** Kernel backlog of connections not yet accepted; default 64, range 1 to 4096. */
  backlog?: number;
  /** Accepted connections buffered until `accept()`/`connections$` takes them; default 16, range 1 to 1024. */
  maxPendingConnections?: number;
}

/** Fully defaulted channel settings. @internal */
export interface ChannelSettings {
  label: string | undefined;
  maxMessageBytes: number;
  maxHandles: number;
  maxQueuedMessages: number;
}

const CHANNEL_KEYS = ['label', 'maxMessageBytes', 'maxHandles', 'maxQueuedMessages'] as const;

function optionsObject(options: unknown, what: string, extraKeys: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  if (!isPlainObject(options)) throw new TypeError(expectedMessage('an options object', 'options', options));
  checkKnownKeys(options, [...CHANNEL_KEYS, ...extraKeys], what);
  return options;
}

function integerOption(options: Record<string, unknown>, key: string, fallback: number, min: number, max: number): number {
  const value = options[key];
  return value === undefined ? fallback : checkIntegerInRange(value, `options.${key}`, min, max);
}

function channelSettings(options: Record<string, unknown>): ChannelSettings {
  const label = options.label;
  if (label !== undefined && (typeof label !== 'string' || label.length === 0)) {
    throw new TypeError(expectedMessage('non-empty string', 'options.label', label));
  }
  return {
    label,
    maxMessageBytes: integerOption(options, 'maxMessageBytes', 65_536, 64, 196_608),
    maxHandles: integerOption(options, 'maxHandles', 64, 0, 253),
    maxQueuedMessages: integerOption(options, 'maxQueuedMessages', 256, 1, 65_536),
  };
}

/** Validates and defaults the options of pair/fromFd. @internal */
export function resolveChannelOptions(options: unknown, what: string): ChannelSettings {
  return channelSettings(optionsObject(options, what, []));
}

/** Validates and defaults the options of connect. @internal */
export function resolveConnectOptions(options: unknown): ChannelSettings & { timeoutMs: number } {
  const bag = optionsObject(options, 'ShareChannel.connect', ['timeoutMs']);
  return { ...channelSettings(bag), timeoutMs: integerOption(bag, 'timeoutMs', 5_000, 0, 2_147_483_647) };
}

/** Validates and defaults the options of listen. @internal */
export function resolveListenOptions(options: unknown): ChannelSettings & { backlog: number; maxPendingConnections: number } {
  const bag = optionsObject(options, 'ShareChannel.listen', ['backlog', 'maxPendingConnections']);
  return {
    ...channelSettings(bag),
    backlog: integerOption(bag, 'backlog', 64, 1, 4_096),
    maxPendingConnections: integerOption(bag, 'maxPendingConnections', 16, 1, 1_024),
  };
}

/** Checks a socket path argument. @internal */
export function checkSocketPath(path: unknown): string {
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) {
    throw new TypeError(expectedMessage('a non-empty socket path string', 'path', path));
  }
  if (Buffer.byteLength(path) > 107) {
    throw new TypeError(`Expected a socket path of at most 107 bytes (AF_UNIX limit) for path but received ${Buffer.byteLength(path)} bytes`);
  }
  return path;
}
