// TexturePool, tested the way GStreamer tests GstBufferPool (tests/check/gst/gstbufferpool.c).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTextureShareManager, TexturePool, type TextureShareManager, type TexturePoolOptions } from '../src/index.js';
import { fdCount, geyserError, rejection, thrown } from './pipeline-helpers.js';

const descriptor = { width: 8, height: 8, format: 'rgba8unorm', usage: ['copy-src', 'copy-dst'] } as const;
let manager: TextureShareManager;
let fdsBefore: number;

beforeAll(async () => {
  fdsBefore = fdCount();
  manager = await createTextureShareManager({ backend: 'host' });
});

afterAll(() => {
  manager.dispose();
  expect(fdCount()).toBe(fdsBefore);
});

const pools: TexturePool[] = [];
function makePool(options: Partial<TexturePoolOptions> = {}): TexturePool {
  const pool = new TexturePool(manager, { descriptor, min: 1, max: 2, name: 'test', ...options });
  pools.push(pool);
  return pool;
}

afterEach(() => {
  vi.useRealTimers();
  for (const pool of pools.splice(0)) pool.dispose();
});

describe('TexturePool', () => {
  it('buffer is recycled', async () => {
    const pool = makePool();
    pool.activate();
    const first = await pool.acquire();
    const texture = first.texture;
    pool.giveBack(first);
    const second = await pool.acquire();
    expect(second.texture).toBe(texture);
    expect(second.slot).toBe(first.slot);
    pool.giveBack(second);
    expect(pool.counters()).toMatchObject({ allocations: 1, acquires: 2, leasesOut: 0, free: 1 });
  });

  it('preallocates min slots on activate and never more than max', async () => {
    const pool = makePool({ min: 2, max: 3 });
    expect(pool.counters().allocations).toBe(0);
    pool.activate();
    expect(pool.counters()).toMatchObject({ allocations: 2, slots: 2, free: 2 });
    const leases = [await pool.acquire(), await pool.acquire(), await pool.acquire()];
    expect(pool.counters()).toMatchObject({ allocations: 3, slots: 3, leasesOut: 3, free: 0 });
    expect(pool.tryAcquire()).toBeUndefined();
    leases.forEach((lease) => pool.giveBack(lease));
  });

  it('out-of-order reuse', async () => {
    const pool = makePool({ min: 2, max: 2 });
    pool.activate();
    const a = await pool.acquire();
    const b = await pool.acquire();
    // Return the second first: the next acquire must hand out b's slot, and a's after it.
    pool.giveBack(b);
    const c = await pool.acquire();
    expect(c.slot).toBe(b.slot);
    pool.giveBack(a);
    const d = await pool.acquire();
    expect(d.slot).toBe(a.slot);
    pool.giveBack(c);
    pool.giveBack(d);
    expect(pool.counters().allocations).toBe(2);
  });

  it('acquire waits at max and resumes when a lease comes back', async () => {
    const pool = makePool({ min: 0, max: 1 });
    pool.activate();
    const held = await pool.acquire({ holder: 'slowSink' });
    let got = false;
    const waiting = pool.acquire().then((lease) => {
      got = true;
      return lease;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(got).toBe(false);
    expect(pool.counters().waiting).toBe(1);
    pool.giveBack(held);
    const lease = await waiting;
    expect(lease.slot).toBe(held.slot);
    expect(pool.counters().waiting).toBe(0);
    pool.giveBack(lease);
  });

  it('returns a slot only after its release point', async () => {
    const pool = makePool({ min: 1, max: 1 });
    pool.activate();
    const lease = await pool.acquire();
    let release!: () => void;
    pool.giveBack(lease, new Promise<void>((resolve) => (release = resolve)));
    expect(pool.tryAcquire()).toBeUndefined(); // the consumer is not done yet
    release();
    await Promise.resolve();
    await Promise.resolve();
    const again = pool.tryAcquire();
    expect(again?.slot).toBe(lease.slot);
    pool.giveBack(again!);
  });

  it('inactive pool returns flushing', async () => {
    const pool = makePool();
    expect(await rejection(pool.acquire())).toMatchObject(geyserError('PoolFlushing', "pool 'test' is inactive (flushing); acquire refused"));
    pool.activate();
    const held = [await pool.acquire(), await pool.acquire()];
    const waiter = pool.acquire();
    pool.deactivate();
    expect(await rejection(waiter)).toMatchObject(geyserError('PoolFlushing', "pool 'test' is inactive (flushing); acquire refused"));
    expect(await rejection(pool.acquire())).toMatchObject({ code: 'PoolFlushing' });
    held.forEach((lease) => pool.giveBack(lease));
    await pool.drained();
    expect(pool.counters()).toMatchObject({ slots: 0, leasesOut: 0 });
  });

  it('no deadlock on discard', async () => {
    // A pool disposed while leases are out frees each slot as it comes back, and drained() settles.
    const pool = makePool({ min: 2, max: 2 });
    pool.activate();
    const a = await pool.acquire();
    const b = await pool.acquire();
    const waiter = pool.acquire();
    pool.dispose();
    expect(await rejection(waiter)).toMatchObject({ code: 'PoolFlushing' });
    const drained = pool.drained();
    pool.giveBack(b);
    expect(pool.counters()).toMatchObject({ slots: 1, leasesOut: 1 });
    pool.giveBack(a);
    await drained;
    expect(pool.counters()).toMatchObject({ slots: 0, leasesOut: 0 });
    expect(a.texture.released).toBe(true);
    expect(b.texture.released).toBe(true);
  });

  it('configures only while inactive', () => {
    const pool = makePool();
    pool.configure({ max: 4 });
    expect(pool.max).toBe(4);
    pool.activate();
    expect(thrown(() => pool.configure({ max: 8 }))).toMatchObject(geyserError('OperationNotSupported', "pool 'test' is active; configure it only while inactive"));
    pool.dispose();
    expect(thrown(() => pool.configure({ max: 8 }))).toMatchObject(geyserError('Released', "pool 'test' has been disposed"));
  });

  it('a new descriptor frees the old slots, even ones leased while it changed', async () => {
    const pool = makePool({ min: 1, max: 2 });
    pool.activate();
    const old = await pool.acquire();
    pool.deactivate();
    pool.configure({ descriptor: { ...descriptor, width: 16 } });
    pool.activate();
    const fresh = await pool.acquire();
    expect(fresh.texture.width).toBe(16);
    pool.giveBack(old); // an old-size slot must not come back into circulation
    expect(old.texture.released).toBe(true);
    const next = await pool.acquire();
    expect(next.texture.width).toBe(16);
    pool.giveBack(fresh);
    pool.giveBack(next);
  });

  it('reports a lease held too long, naming the holder', async () => {
    vi.useFakeTimers();
    const reports: Error[] = [];
    const pool = makePool({ leaseTimeoutMs: 500, onLeaseTimeout: (error) => reports.push(error) });
    pool.activate();
    const lease = await pool.acquire({ holder: 'encoder' });
    vi.advanceTimersByTime(499);
    expect(reports).toHaveLength(0);
    lease.holder = 'slowSink'; // the frame moved on
    vi.advanceTimersByTime(1);
    expect(reports).toEqual([expect.objectContaining(geyserError('Timeout', "slot 0 of pool 'test' has been held by node 'slowSink' for more than 500 ms"))]);
    pool.giveBack(lease);
    const quick = await pool.acquire({ holder: 'fast' });
    pool.giveBack(quick);
    vi.advanceTimersByTime(10_000);
    expect(reports).toHaveLength(1);
  });

  it('refuses a lease given back twice or to the wrong pool', async () => {
    const pool = makePool();
    const other = makePool({ name: 'other' });
    pool.activate();
    other.activate();
    const lease = await pool.acquire();
    expect(thrown(() => other.giveBack(lease))).toMatchObject(geyserError('InvalidTextureHandle', "slot 0 was not leased from pool 'other' or was already returned"));
    pool.giveBack(lease);
    expect(thrown(() => pool.giveBack(lease))).toMatchObject(geyserError('InvalidTextureHandle', "slot 0 was not leased from pool 'test' or was already returned"));
  });

  it('aborting a waiting acquire rejects it with the reason', async () => {
    const pool = makePool({ min: 1, max: 1 });
    pool.activate();
    const held = await pool.acquire();
    const controller = new AbortController();
    const waiter = pool.acquire({ signal: controller.signal });
    controller.abort(new Error('stopped'));
    expect(await rejection(waiter)).toMatchObject({ message: 'stopped' });
    expect(pool.counters().waiting).toBe(0);
    pool.giveBack(held);
  });

  it.each([
    [{ max: 0 }, 'InvalidDescriptor', 'Expected integer between 1 and 64 for max but received 0 of type number'],
    [{ max: 2, min: 3 }, 'InvalidDescriptor', 'Expected integer between 0 and 2 for min but received 3 of type number'],
    [{ leaseTimeoutMs: -1 }, 'InvalidDescriptor', 'Expected integer between 0 and 2147483647 for leaseTimeoutMs but received -1 of type number'],
    [{ name: '' }, 'InvalidDescriptor', "Expected non-empty string for name but received '' of type string"],
    [{ descriptor: { ...descriptor, width: -3 } }, 'InvalidDescriptor', 'Expected integer between 1 and 16384 for descriptor.width but received -3 of type number'],
  ])('rejects %o naming the field', (options, code, message) => {
    expect(thrown(() => new TexturePool(manager, { descriptor, ...options } as TexturePoolOptions))).toMatchObject(geyserError(code, message));
  });

  it('catches misspelled options', () => {
    expect(thrown(() => new TexturePool(manager, { descriptor, maxx: 3 } as unknown as TexturePoolOptions))).toMatchObject({
      name: 'TypeError',
      message: "Unknown option 'maxx' for TexturePool; expected one of: descriptor, min, max, name, leaseTimeoutMs, onLeaseTimeout",
    });
  });
});
