import { now } from '@lf/scope';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stallable, useFakeClock } from '@lf/test-support';
import { RateLimiter } from './rate-limiter.js';
import { Throttle } from './throttle.js';

describe('Throttle', () => {
  useFakeClock();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('is a RateLimiter with limit 1 and interval = period', () => {
    const throttle = new Throttle(25);
    expect(throttle).toBeInstanceOf(RateLimiter);
    expect(throttle.limit).toBe(1);
    expect(throttle.interval).toBe(25);
    expect(throttle.period).toBe(25);
  });

  it('slots do not drift: 1000 slots at 2 ms start exactly on the 2 ms grid', async () => {
    const throttle = new Throttle(2);
    const t0 = now();
    const starts: number[] = [];
    const all = Array.from({ length: 1000 }, () => throttle.acquire().then(() => starts.push(now() - t0)));
    await vi.advanceTimersByTimeAsync(2000);
    await Promise.all(all);
    expect(starts).toEqual(Array.from({ length: 1000 }, (_, i) => i * 2));
  });

  it('a late timer releases late and the next release is a full period after it (no catch-up)', async () => {
    const stall = stallable();
    const throttle = new Throttle(10);
    const t0 = now();
    const starts: number[] = [];
    const all = Array.from({ length: 6 }, () => throttle.acquire().then((grant) => starts.push(grant.at - t0)));
    await vi.advanceTimersByTimeAsync(10); // releases 0 and 10 on time
    stall(9); // the timer due at 20 fires at 29
    await vi.advanceTimersByTimeAsync(40);
    await Promise.all(all);
    // v1 kept the absolute grid and let 30 follow 29 (1 ms apart): the server saw two calls in 10 ms.
    expect(starts).toEqual([0, 10, 29, 39, 49, 59]);
  });

  it('a stalled event loop moves the schedule instead of releasing the overdue slots in a burst', async () => {
    const stall = stallable();
    const throttle = new Throttle(10);
    const t0 = now();
    const starts: number[] = [];
    const all = Array.from({ length: 6 }, () => throttle.acquire().then(() => starts.push(now() - t0)));
    await vi.advanceTimersByTimeAsync(10); // slots 0 and 10 on time
    stall(25); // the loop is blocked: the timer for slot 20 fires at 45, past the 10 ms threshold
    await vi.advanceTimersByTimeAsync(60);
    await Promise.all(all);
    // Slot 20 starts when the loop wakes up (45); slots 30 and 40, also overdue, are NOT
    // released with it: the schedule moves to 45, so starts stay a period apart.
    expect(starts).toEqual([0, 10, 45, 55, 65, 75]);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(10);
  });

  it('a RateLimiter releases no more than limit at once after a stall', async () => {
    const stall = stallable();
    const limiter = new RateLimiter({ limit: 3, interval: 30 });
    const t0 = now();
    const starts: number[] = [];
    const all = Array.from({ length: 9 }, () => limiter.acquire().then(() => starts.push(now() - t0)));
    await vi.advanceTimersByTimeAsync(0); // 3 start at 0; the next 3 are due at 30
    stall(40); // the timer for 30 fires at 70: 40 ms late, past max(30, 10)
    await vi.advanceTimersByTimeAsync(200);
    await Promise.all(all);
    expect(starts).toEqual([0, 0, 0, 70, 70, 70, 100, 100, 100]);
  });

  it("timer lateness is never compounded: each release is one period after the previous real release plus its own timer's lateness", async () => {
    const stall = stallable();
    const throttle = new Throttle(2);
    const ats: number[] = [];
    const all = Array.from({ length: 1000 }, () => throttle.acquire().then((grant) => ats.push(grant.at)));
    await vi.advanceTimersByTimeAsync(0); // the first is released at once, the timer for the second is armed
    // Every timer callback comes 0.5 ms late.
    for (let i = 0; i < 999; i++) {
      stall(0.5);
      await vi.advanceTimersToNextTimerAsync();
    }
    await vi.advanceTimersByTimeAsync(10);
    await Promise.all(all);
    expect(ats).toHaveLength(1000);
    for (let i = 1; i < ats.length; i++) {
      expect(ats[i - 1]! + 2 <= ats[i]!).toBe(true); // never closer than the period
      expect(ats[i]! - ats[i - 1]!).toBeCloseTo(2.5, 9); // and late by exactly one timer's lateness, not more
    }
  });

  it('starts are spaced by at least the period', async () => {
    const throttle = new Throttle(30);
    const starts: number[] = [];
    const all: Promise<unknown>[] = [];
    let seed = 11;
    for (let i = 0; i < 100; i++) {
      seed = (seed * 48271) % 2147483647;
      all.push(throttle.call(() => starts.push(now())));
      await vi.advanceTimersByTimeAsync(seed % 61); // arrivals both faster and slower than the period
    }
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(all);
    expect(starts).toHaveLength(100);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(30);
  });

  it('waiters are served in FIFO order', async () => {
    const throttle = new Throttle(5);
    const order: number[] = [];
    const all = Array.from({ length: 20 }, (_, i) => throttle.call(() => order.push(i)));
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(all);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('an aborted waiter gives its slot back', async () => {
    const throttle = new Throttle(100);
    const t0 = now();
    await throttle.acquire();
    const controller = new AbortController();
    const aborted = throttle.acquire({ signal: controller.signal });
    let started = -1;
    const next = throttle.acquire().then(() => (started = now() - t0));
    await vi.advanceTimersByTimeAsync(40);
    controller.abort(new Error('cancelled'));
    await expect(aborted).rejects.toThrow('cancelled');
    await vi.advanceTimersByTimeAsync(200);
    await next;
    expect(started).toBe(100); // the aborted waiter's slot, not 200
  });

  it('no timer is left once nobody waits', async () => {
    const throttle = new Throttle(10);
    const all = Array.from({ length: 5 }, () => throttle.acquire());
    await vi.advanceTimersByTimeAsync(0); // the first is released, the next waits for its timer
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(40);
    await Promise.all(all);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a throttled sync function becomes async', async () => {
    const throttle = new Throttle(10);
    const wrapped = throttle.wrap((x: number) => x * 2);
    const first = wrapped(1);
    const second = wrapped(2);
    expect(first).toBeInstanceOf(Promise);
    await vi.advanceTimersByTimeAsync(10);
    expect(await Promise.all([first, second])).toEqual([2, 4]);
  });

  it.each([
    [-1, RangeError],
    [0, RangeError],
    [Number.NaN, RangeError],
    [Infinity, RangeError],
    ['100', TypeError],
    [undefined, TypeError],
  ])('new Throttle(%s) throws %s naming period', (period, type) => {
    expect(() => new Throttle(period as number)).toThrow(type);
    expect(() => new Throttle(period as number)).toThrow(/period/);
  });
});
