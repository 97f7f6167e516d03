/**
 * The wire format of one ShareChannel message: a JSON envelope
 * `{"g":1,"m":<message>,"h":[<handle fields>..., "fd": <index into the packet's fds> | null]}` in
 * one SOCK_SEQPACKET packet, with the handles' fds attached by SCM_RIGHTS. The fd numbers
 * themselves never travel: they mean nothing in the peer.
 *
 * @internal
 * @module
 */
import { GeyserError } from './errors.js';
import { isLiveHandle, trackHandle } from './handles.js';
import type { ExportedHandle } from './types.js';
import { describeValue, isInteger, isPlainObject } from './validate.js';

/** A received message and the handles that came with it (now owned by the receiver). */
export interface ReceivedMessage {
  /** The JSON value the peer sent. */
  readonly message: unknown;
  /** New handles valid in this process, in the order the peer listed them. */
  readonly handles: ExportedHandle[];
}

const KINDS = ['texture', 'semaphore', 'fence'];

/** One encoded packet: the envelope text and the fds to attach. */
export interface EncodedPacket {
  text: string;
  fds: number[];
}

/** Builds the envelope; throws naming the bad handle or an oversized message. */
export function encodeMessage(message: unknown, handles: unknown, maxBytes: number, maxHandles: number, label: string): EncodedPacket {
  if (message === undefined || typeof message === 'function' || typeof message === 'symbol') {
    throw new TypeError(`Expected a JSON value for message but received ${describeValue(message)}`);
  }
  if (!Array.isArray(handles)) throw new TypeError(`Expected an array of exported handles for handles but received ${describeValue(handles)}`);
  if (handles.length > maxHandles) {
    throw new RangeError(`Expected at most ${maxHandles} handles (maxHandles) for handles but received ${handles.length}`);
  }
  const fds: number[] = [];
  const described = handles.map((handle: unknown, index) => {
    const field = `handles[${index}]`;
    if (!isPlainObject(handle) || !KINDS.includes(handle.kind as string)) {
      throw new TypeError(`Expected an exported texture, semaphore or fence handle for ${field} but received ${describeValue(handle)}`);
    }
    const { rawHandle, ...fields } = handle;
    if (rawHandle === undefined) return { ...fields, fd: null }; // e.g. a Metal IOSurface ID: no fd
    if (!isInteger(rawHandle) || !isLiveHandle(handle as unknown as ExportedHandle)) {
      throw new GeyserError(
        'InvalidTextureHandle',
        `${field} (${String(handle.kind)} handle, fd ${String(rawHandle)}) is not live in this process: it was released, consumed by an import, or never exported here`,
      );
    }
    fds.push(rawHandle);
    return { ...fields, fd: fds.length - 1 };
  });
  let text: string;
  try {
    text = JSON.stringify({ g: 1, m: message, h: described });
  } catch (error) {
    throw new TypeError(`Expected a JSON-serializable value for message but JSON.stringify failed: ${(error as Error).message}`);
  }
  const bytes = Buffer.byteLength(text);
  if (bytes > maxBytes) {
    throw new RangeError(`message of ${bytes} bytes (as JSON) exceeds maxMessageBytes ${maxBytes} of channel '${label}'`);
  }
  return { text, fds };
}

function protocolError(label: string, what: string): GeyserError {
  return new GeyserError('ProtocolError', `channel '${label}' received a malformed message: ${what}`);
}

/**
 * Parses one packet into a message and tracked handles. Throws a `ProtocolError`; on throw the
 * caller still owns (and must close) every fd of the packet.
 */
export function decodeMessage(
  text: string,
  fds: readonly number[],
  truncatedBytes: boolean,
  truncatedFds: boolean,
  limits: { maxMessageBytes: number; maxHandles: number },
  label: string,
): ReceivedMessage {
  if (truncatedBytes) throw protocolError(label, `it is longer than maxMessageBytes ${limits.maxMessageBytes} (MSG_TRUNC)`);
  if (truncatedFds) throw protocolError(label, `it carried more than maxHandles ${limits.maxHandles} fds (MSG_CTRUNC)`);
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch (error) {
    throw protocolError(label, `it is not valid JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(envelope) || envelope.g !== 1 || !('m' in envelope) || !Array.isArray(envelope.h)) {
    throw protocolError(label, 'it is not a ShareChannel envelope {"g":1,"m":...,"h":[...]}');
  }
  const described = envelope.h as unknown[];
  if (described.length > limits.maxHandles) throw protocolError(label, `it describes ${described.length} handles, more than maxHandles ${limits.maxHandles}`);
  const used = new Set<number>();
  for (const [index, entry] of described.entries()) {
    if (!isPlainObject(entry)) throw protocolError(label, `handles[${index}] is ${describeValue(entry)}, not a handle description`);
    if (!KINDS.includes(entry.kind as string)) {
      throw protocolError(label, `handles[${index}].kind must be texture, semaphore or fence but is ${describeValue(entry.kind)}`);
    }
    if (entry.fd === null) continue;
    if (!isInteger(entry.fd) || entry.fd < 0 || entry.fd >= fds.length || used.has(entry.fd)) {
      throw protocolError(label, `handles[${index}].fd must be a distinct index below ${fds.length} (the fds carried) but is ${describeValue(entry.fd)}`);
    }
    used.add(entry.fd);
  }
  if (used.size !== fds.length) {
    throw protocolError(label, `it describes ${used.size} handle fd(s) but carried ${fds.length} fd(s)`);
  }
  const handles = described.map((entry) => {
    const { fd, ...fields } = entry as Record<string, unknown>;
    const handle = (fd === null ? fields : { ...fields, rawHandle: fds[fd as number] }) as unknown as ExportedHandle;
    return fd === null ? handle : trackHandle(handle);
  });
  return { message: envelope.m, handles };
}
