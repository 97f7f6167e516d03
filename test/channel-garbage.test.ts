import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { liveHandleCount, ShareChannel } from '../src/index.js';
import { childPids, exited, FIXTURES, fdCount } from './channel-helpers.js';

let fdsBefore: number;
let childrenBefore: number[];
let handlesBefore: number;

beforeEach(() => {
  fdsBefore = fdCount();
  childrenBefore = childPids();
  handlesBefore = liveHandleCount();
});

afterEach(() => {
  expect(liveHandleCount()).toBe(handlesBefore);
  expect(fdCount()).toBe(fdsBefore);
  expect(childPids()).toEqual(childrenBefore);
});

/** A channel whose peer is a python process that sends one malformed packet, then exits. */
async function channelFromForeignPeer(kind: string): Promise<ShareChannel> {
  const [channel, forPeer] = ShareChannel.pair({ label: 'foreign' });
  const child = spawn('python3', [`${FIXTURES}channel-foreign-peer.py`, kind], { stdio: ['ignore', 'inherit', 'inherit', forPeer.fd] });
  forPeer.close();
  expect(await exited(child)).toEqual({ code: 0, signal: null });
  return channel;
}

const prefix = "channel 'foreign' received a malformed message: ";

describe('ShareChannel against a malformed peer', () => {
  it.each([
    ['truncated', /^it is not valid JSON \(/],
    ['random', /^it is not valid JSON \(/],
    ['not-envelope', /^it is not a ShareChannel envelope \{"g":1,"m":...,"h":\[...\]\}$/],
    ['fds-without-handles', /^it describes 0 handle fd\(s\) but carried 2 fd\(s\)$/],
    ['more-fds-than-handles', /^it describes 1 handle fd\(s\) but carried 3 fd\(s\)$/],
    ['fewer-fds-than-handles', /^handles\[1\]\.fd must be a distinct index below 1 \(the fds carried\) but is 1 of type number$/],
    ['bad-kind', /^handles\[0\]\.kind must be texture, semaphore or fence but is 'buffer' of type string$/],
    ['oversized', /^it is longer than maxMessageBytes 65536 \(MSG_TRUNC\)$/],
    ['too-many-fds', /^it carried more than maxHandles 64 fds \(MSG_CTRUNC\)$/],
  ])('reports a %s packet as ProtocolError, closes its fds and the channel', async (kind, reason) => {
    const channel = await channelFromForeignPeer(kind);
    const error = await channel.receive().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'GeyserError', code: 'ProtocolError' });
    const message = (error as Error).message;
    expect(message.startsWith(prefix)).toBe(true);
    expect(message.slice(prefix.length)).toMatch(reason);
    expect(channel.closed).toBe(true);
    await expect(channel.send('more')).rejects.toMatchObject({ code: 'ChannelClosed' });
    channel.close();
  });

  it('errors messages$ with the ProtocolError', async () => {
    const channel = await channelFromForeignPeer('fds-without-handles');
    const error = await new Promise((resolve) => channel.messages$.subscribe({ error: resolve, complete: () => resolve('completed') }));
    expect(error).toMatchObject({ code: 'ProtocolError', message: `${prefix}it describes 0 handle fd(s) but carried 2 fd(s)` });
    channel.close();
  });
});
