import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTextureShareManager, type GeyserError, type HostTextureShareManager } from '../src/index.js';
import { childCount, fdCount, geyserError, JsonChild, rejection, thrown } from './host-helpers.js';

const open = async () => (await createTextureShareManager({ backend: 'host' })) as HostTextureShareManager;

/** Settles within `ms` or reports 'pending'. */
function settledWithin(promise: Promise<unknown>, ms: number): Promise<string> {
  return Promise.race([
    promise.then(() => 'resolved', (error: GeyserError) => `rejected ${error.code}`),
    new Promise<string>((resolve) => setTimeout(() => resolve('pending'), ms)),
  ]);
}

describe('host timeline semaphore', () => {
  it('ping-pongs 1,000 rounds with a child process, each side checking every value it observes', async () => {
    const fdsBefore = fdCount();
    const childrenBefore = childCount();
    const manager = await open();
    const semaphore = manager.createExportableSemaphore({ timeline: true });
    const handle = manager.exportSemaphore(semaphore);
    const child = new JsonChild('host-pingpong-child.mjs', ['1000'], [handle.rawHandle]);
    manager.releaseTextureHandle(handle);
    const mismatches: string[] = [];
    for (let round = 1; round <= 1000; round++) {
      semaphore.signal(2 * round - 1);
      await semaphore.wait(2 * round, 10_000);
      if (semaphore.value !== 2 * round) mismatches.push(`round ${round}: expected ${2 * round}, saw ${semaphore.value}`);
    }
    expect(await child.next()).toEqual({ observed: 1000, errors: [] });
    expect(await child.finish()).toBe(0);
    expect(mismatches).toEqual([]);
    expect(semaphore.value).toBe(2000);
    manager.dispose();
    expect(fdCount()).toBe(fdsBefore);
    expect(childCount()).toBe(childrenBefore);
  });

  it('resolves at once when the value is already reached, and wakes a pending wait on signal', async () => {
    const manager = await open();
    const semaphore = manager.createExportableSemaphore({ initialValue: 5 });
    await semaphore.wait(3, 0);
    await semaphore.wait(5, 0);
    const pending = semaphore.wait(8, 5_000);
    expect(await settledWithin(pending, 30)).toBe('pending');
    semaphore.signal(7);
    expect(await settledWithin(pending, 30)).toBe('pending');
    semaphore.signal(9); // past the target counts as reached
    await pending;
    manager.dispose();
  });
});

describe('host fence', () => {
  it('is signaled, waited on without being consumed, and reset (in process, through an import)', async () => {
    const fdsBefore = fdCount();
    const manager = await open();
    const fence = manager.createExportableFence();
    const peer = manager.importFence(manager.exportFence(fence));
    expect([fence.signaled, peer.signaled]).toEqual([false, false]);
    const pending = peer.wait(5_000);
    expect(await settledWithin(pending, 30)).toBe('pending');
    fence.signal();
    await pending;
    await peer.wait(0);
    await peer.wait(0); // still signaled: waits do not consume
    expect([fence.signaled, peer.signaled]).toEqual([true, true]);
    fence.signal(); // signaling a signaled fence is allowed
    peer.reset();
    expect([fence.signaled, peer.signaled]).toEqual([false, false]);
    expect(await rejection(fence.wait(0))).toMatchObject(geyserError('Timeout', 'timed out after 0 ms waiting for the fence to be signaled; it is still unsignaled'));
    expect(manager.createExportableFence({ signaled: true }).signaled).toBe(true);
    manager.dispose();
    expect(fdCount()).toBe(fdsBefore);
  });
});

describe('host binary semaphore', () => {
  it('gives each signal to exactly one of two concurrent waiters (in process)', async () => {
    const fdsBefore = fdCount();
    const manager = await open();
    const semaphore = manager.createExportableSemaphore({ timeline: false });
    const other = manager.importSemaphore(manager.exportSemaphore(semaphore));
    expect(other.timeline).toBe(false);
    const first = semaphore.wait(1, 5_000);
    const second = other.wait(1, 5_000);
    const states = () => Promise.all([settledWithin(first, 40), settledWithin(second, 40)]);
    expect(await states()).toEqual(['pending', 'pending']);
    semaphore.signal(1);
    await Promise.race([first, second]); // one waiter takes the signal, however slow the wake-up is under load
    const afterOne = await states();
    expect(afterOne.filter((state) => state === 'resolved')).toHaveLength(1);
    expect(afterOne.filter((state) => state === 'pending')).toHaveLength(1);
    expect(semaphore.value).toBe(0);
    other.signal();
    await Promise.all([first, second]);
    expect(await states()).toEqual(['resolved', 'resolved']);
    expect(other.value).toBe(0);
    semaphore.signal(1);
    expect(thrown(() => other.signal(1))).toMatchObject(geyserError('OperationNotSupported', 'the binary semaphore is already signaled; a wait must consume that signal first'));
    await other.wait();
    expect(await rejection(other.wait(1, 0))).toMatchObject(geyserError('Timeout', 'timed out after 0 ms waiting for the binary semaphore to be signaled; it is still unsignaled'));
    manager.dispose();
    expect(fdCount()).toBe(fdsBefore);
  });
});

describe('host fence and binary semaphore across processes', () => {
  it('keep their semantics between a parent and a child process', async () => {
    const fdsBefore = fdCount();
    const childrenBefore = childCount();
    const manager = await open();
    const fence = manager.createExportableFence();
    const ping = manager.createExportableSemaphore({ timeline: false });
    const pong = manager.createExportableSemaphore({ timeline: false });
    const handles = [manager.exportFence(fence), manager.exportSemaphore(ping), manager.exportSemaphore(pong)];
    const child = new JsonChild('host-sync-child.mjs', [], handles.map((handle) => handle.rawHandle));
    for (const handle of handles) manager.releaseTextureHandle(handle);

    expect(await child.next()).toEqual({ step: 'ready', signaled: false });
    fence.signal();
    expect(await child.next()).toEqual({ step: 'fence-seen', signaled: true });
    expect(fence.signaled).toBe(true); // the child's waits did not consume it
    fence.reset();
    child.send({ step: 'reset' });
    expect(await child.next()).toEqual({
      step: 'after-reset',
      signaled: false,
      timeout: 'Timeout: timed out after 30 ms waiting for the fence to be signaled; it is still unsignaled',
    });

    const rounds = 200;
    child.send({ rounds });
    const errors: string[] = [];
    for (let round = 1; round <= rounds; round++) {
      ping.signal(1);
      await pong.wait(1, 10_000);
      if (pong.value !== 0) errors.push(`round ${round}: the wait did not consume the signal`);
    }
    expect(await child.next()).toEqual({ step: 'binary-done', errors: [] });
    expect(errors).toEqual([]);
    expect(await child.finish()).toBe(0);
    manager.dispose();
    expect(fdCount()).toBe(fdsBefore);
    expect(childCount()).toBe(childrenBefore);
  });
});

describe('releasing a sync object with a wait pending', () => {
  it('rejects the pending wait with Released and does not crash', async () => {
    const fdsBefore = fdCount();
    const manager = await open();
    const semaphore = manager.createExportableSemaphore();
    const fence = manager.createExportableFence();
    const waits: [Promise<void>, Promise<void>] = [semaphore.wait(4), fence.wait()];
    expect(await settledWithin(Promise.all(waits), 30)).toBe('pending');
    semaphore.release();
    manager.dispose(); // releases the fence
    expect(await rejection(waits[0])).toMatchObject(geyserError('Released', 'the timeline semaphore was released while a wait for it to reach 4 was pending'));
    expect(await rejection(waits[1])).toMatchObject(geyserError('Released', 'the fence was released while a wait for it to be signaled was pending'));
    expect(fdCount()).toBe(fdsBefore);
  });
});

describe('wait threads', () => {
  it('are all joined once their waits settle (no thread or fd left behind)', async () => {
    const threads = () => readdirSync('/proc/self/task').length;
    const fdsBefore = fdCount();
    const threadsBefore = threads();
    const manager = await open();
    const semaphore = manager.createExportableSemaphore();
    const reached = Array.from({ length: 50 }, (_, index) => semaphore.wait(index + 1, 10_000));
    const timedOut = Array.from({ length: 50 }, () => semaphore.wait(1000, 20));
    expect(threads()).toBeGreaterThanOrEqual(threadsBefore + 100); // each pending wait sleeps on its own thread
    semaphore.signal(50);
    await Promise.all(reached);
    const outcomes = await Promise.all(timedOut.map((wait) => rejection(wait)));
    expect(outcomes.every((error) => (error as GeyserError).code === 'Timeout')).toBe(true);
    // A thread is joined by the finalizer that runs just after its result was delivered.
    for (let tries = 0; tries < 100 && threads() > threadsBefore; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(threads()).toBe(threadsBefore);
    manager.dispose();
    expect(fdCount()).toBe(fdsBefore);
  });
});
