import { now } from '@lf/scope';
import { describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '@lf/test-support';
import { RateLimiter } from './rate-limiter.js';

/** Most starts found in any half-open window [s, s + interval) that opens at a start. */
function maxInWindow(starts: number[], interval: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let max = 0;
  let end = 0;
  for (let begin = 0; begin < sorted.length; begin++) {
    while (end < sorted.length && sorted[end]! < sorted[begin]! + interval) end++;
    max = Math.max(max, end - begin);
  }
  return max;
}

/** Starts `count` acquisitions now; each pushes its start time into `starts` and its index into `order`. */
function request(limiter: RateLimiter, count: number, starts: number[], order: number[] = [], first = 0): Promise<void>[] {
  return Array.from({ length: count }, (_, i) =>
    limiter.acquire().then(() => {
      starts.push(now());
      order.push(first + i);
    }),
  );
}

describe('RateLimiter', () => {
  useFakeClock();

  it('admits up to limit calls at once, then one per freed slot', async () => {
    const limiter = new RateLimiter({ limit: 3, interval: 100 });
    const t0 = now();
    const starts: number[] = [];
    const all = request(limiter, 7, starts);
    await vi.advanceTimersByTimeAsync(0);
    expect(starts.map((s) => s - t0)).toEqual([0, 0, 0]);
    await vi.advanceTimersByTimeAsync(250);
    await Promise.all(all);
    expect(starts.map((s) => s - t0)).toEqual([0, 0, 0, 100, 100, 100, 200]);
  });

  it('the sliding window admits no burst at its edge', async () => {
    // A fixed window would let 1 start at 0, 2 at 99 and 3 more at 100: 5 starts in [99, 199).
    const limiter = new RateLimiter({ limit: 3, interval: 100 });
    const t0 = now();
    const starts: number[] = [];
    const all = request(limiter, 1, starts);
    await vi.advanceTimersByTimeAsync(99);
    all.push(...request(limiter, 2, starts));
    await vi.advanceTimersByTimeAsync(1);
    all.push(...request(limiter, 3, starts));
    await vi.advanceTimersByTimeAsync(300);
    await Promise.all(all);
    expect(starts.map((s) => s - t0)).toEqual([0, 99, 99, 100, 199, 199]);
    expect(maxInWindow(starts, 100)).toBe(3);
  });

  it('never holds more than limit starts in any window, whatever the arrival pattern', async () => {
    const limiter = new RateLimiter({ limit: 4, interval: 50 });
    const starts: number[] = [];
    const all: Promise<void>[] = [];
    // A fixed, irregular arrival pattern (deterministic pseudo-random gaps).
    let seed = 7;
    for (let i = 0; i < 200; i++) {
      seed = (seed * 48271) % 2147483647;
      all.push(...request(limiter, 1 + (seed % 3), starts));
      await vi.advanceTimersByTimeAsync(seed % 23);
    }
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(all);
    expect(starts.length).toBeGreaterThan(200);
    expect(maxInWindow(starts, 50)).toBe(4);
  });

  it('waiters are served in FIFO order', async () => {
    const limiter = new RateLimiter({ limit: 2, interval: 10 });
    const starts: number[] = [];
    const order: number[] = [];
    const all = request(limiter, 5, starts, order);
    await vi.advanceTimersByTimeAsync(3);
    all.push(...request(limiter, 5, starts, order, 5));
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('an aborted waiter gives its slot back', async () => {
    const limiter = new RateLimiter({ limit: 1, interval: 100 });
    const t0 = now();
    await limiter.acquire(); // slot 0
    const controller = new AbortController();
    const reason = new Error('no longer needed');
    const aborted = limiter.acquire({ signal: controller.signal }); // would get slot 100
    const starts: number[] = [];
    const next = request(limiter, 2, starts); // would get slots 200 and 300
    await vi.advanceTimersByTimeAsync(50);
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    expect(limiter.pendingCount).toBe(2);
    await vi.advanceTimersByTimeAsync(250);
    await Promise.all(next);
    expect(starts.map((s) => s - t0)).toEqual([100, 200]);
  });

  it('an aborted waiter in the middle of the queue leaves it at once and moves the rest up', async () => {
    const limiter = new RateLimiter({ limit: 1, interval: 10 });
    const t0 = now();
    await limiter.acquire();
    const starts: number[] = [];
    const order: number[] = [];
    const first = request(limiter, 1, starts, order, 1);
    const controller = new AbortController();
    const aborted = limiter.acquire({ signal: controller.signal });
    const last = request(limiter, 1, starts, order, 3);
    controller.abort('stop');
    await expect(aborted).rejects.toBe('stop');
    await vi.advanceTimersByTimeAsync(30);
    await Promise.all([...first, ...last]);
    expect(order).toEqual([1, 3]);
    expect(starts.map((s) => s - t0)).toEqual([10, 20]);
  });

  it('rejects with signal.reason when aborted, recording no admission', async () => {
    const limiter = new RateLimiter({ limit: 1, interval: 100 });
    await limiter.acquire();
    const controller = new AbortController();
    const promise = limiter.acquire({ signal: controller.signal });
    controller.abort();
    await expect(promise).rejects.toBe(controller.signal.reason);
    expect(limiter.pendingCount).toBe(0);
    // The aborted waiter took no slot: the next request gets slot 100, not 200.
    const t0 = now();
    let started = -1;
    const next = limiter.acquire().then(() => (started = now() - t0));
    await vi.advanceTimersByTimeAsync(100);
    await next;
    expect(started).toBe(100);
  });

  it('removes its abort listener once admitted', async () => {
    const limiter = new RateLimiter({ limit: 1, interval: 10 });
    await limiter.acquire();
    const controller = new AbortController();
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    const promise = limiter.acquire({ signal: controller.signal });
    await vi.advanceTimersByTimeAsync(10);
    await promise;
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
    controller.abort(); // too late: nothing happens
  });

  it('rejects at once with an already aborted signal, queuing nothing and starting no timer', async () => {
    const limiter = new RateLimiter({ limit: 1, interval: 100 });
    await limiter.acquire();
    const reason = new Error('already');
    await expect(limiter.acquire({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(limiter.pendingCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('no timer is left once nobody waits', async () => {
    const limiter = new RateLimiter({ limit: 2, interval: 20 });
    await Promise.all(request(limiter, 2, []));
    expect(vi.getTimerCount()).toBe(0); // free slots: no timer at all
    const served = request(limiter, 6, []);
    expect(vi.getTimerCount()).toBe(1); // one timer however many wait
    await vi.advanceTimersByTimeAsync(60);
    await Promise.all(served);
    expect(vi.getTimerCount()).toBe(0);

    const controller = new AbortController();
    const waiting = Array.from({ length: 4 }, () => limiter.acquire({ signal: controller.signal }));
    expect(vi.getTimerCount()).toBe(1);
    controller.abort('gone');
    await Promise.allSettled(waiting);
    expect(limiter.pendingCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('starts a request made after a pause at once, restarting the schedule from it', async () => {
    const limiter = new RateLimiter({ limit: 1, interval: 100 });
    await limiter.acquire();
    await vi.advanceTimersByTimeAsync(1234);
    const t0 = now();
    const starts: number[] = [];
    const all = request(limiter, 3, starts);
    await vi.advanceTimersByTimeAsync(200);
    await Promise.all(all);
    expect(starts.map((s) => s - t0)).toEqual([0, 100, 200]);
  });

  it('call runs fn at its slot and settles with its result or error', async () => {
    const limiter = new RateLimiter({ limit: 1, interval: 10 });
    const t0 = now();
    const times: number[] = [];
    const a = limiter.call(() => {
      times.push(now() - t0);
      return 'a';
    });
    const b = limiter.call(async () => {
      times.push(now() - t0);
      return Promise.resolve('b');
    });
    const c = limiter.call(() => {
      throw new Error('c failed');
    });
    const cResult = expect(c).rejects.toThrow('c failed');
    await vi.advanceTimersByTimeAsync(20);
    expect(await a).toBe('a');
    expect(await b).toBe('b');
    await cResult;
    expect(times).toEqual([0, 10]);
  });

  it('call does not run fn when aborted while waiting', async () => {
    const limiter = new RateLimiter({ limit: 1, interval: 10 });
    await limiter.acquire();
    const fn = vi.fn();
    const controller = new AbortController();
    const promise = limiter.call(fn, { signal: controller.signal });
    controller.abort('stop');
    await expect(promise).rejects.toBe('stop');
    await vi.advanceTimersByTimeAsync(50);
    expect(fn).not.toHaveBeenCalled();
  });

  it('wrap passes this and arguments through and keeps the name', async () => {
    const limiter = new RateLimiter({ limit: 1, interval: 10 });
    const counter = {
      base: 10,
      add: limiter.wrap(function add(this: { base: number }, a: number, b: number) {
        return this.base + a + b;
      }),
    };
    const result = counter.add(1, 2);
    await vi.advanceTimersByTimeAsync(0);
    expect(await result).toBe(13);
    expect(counter.add.name).toBe('add');
  });

  it('a throttled sync function becomes async', async () => {
    const limiter = new RateLimiter({ limit: 5, interval: 10 });
    const fn = vi.fn(() => 42);
    const wrapped = limiter.wrap(fn);
    const result = wrapped();
    expect(result).toBeInstanceOf(Promise);
    expect(fn).not.toHaveBeenCalled(); // even with a free slot, it runs after the caller's turn
    expect(await result).toBe(42);
    expect(fn).toHaveBeenCalledOnce();
  });

  describe('rejects bad input naming the option', () => {
    it.each([
      [{ limit: 0, interval: 10 }, RangeError, /limit/],
      [{ limit: -1, interval: 10 }, RangeError, /limit/],
      [{ limit: Number.NaN, interval: 10 }, RangeError, /limit/],
      [{ limit: Infinity, interval: 10 }, RangeError, /limit/],
      [{ limit: '2', interval: 10 }, TypeError, /limit/],
      [{ interval: 10 }, TypeError, /limit/],
      [{ limit: 1, interval: -1 }, RangeError, /interval/],
      [{ limit: 1, interval: 0 }, RangeError, /interval/],
      [{ limit: 1, interval: 10, limt: 2 }, TypeError, /unknown option 'limt' \(did you mean 'limit'\?\)/],
      [{ limit: 1, interval: Infinity }, RangeError, /interval/],
      [{ limit: 1, interval: Number.NaN }, RangeError, /interval/],
      [{ limit: 1, interval: '10' }, TypeError, /interval/],
      [{ limit: 1 }, TypeError, /interval/],
      [undefined, TypeError, /options/],
      [null, TypeError, /options/],
      [5, TypeError, /options/],
    ])('new RateLimiter(%o) throws %s', (options, type, pattern) => {
      expect(() => new RateLimiter(options as never)).toThrow(type);
      expect(() => new RateLimiter(options as never)).toThrow(pattern);
    });

    it.each([
      ['acquire(5)', (l: RateLimiter) => l.acquire(5 as never), /options/],
      ['acquire({ signal: {} })', (l: RateLimiter) => l.acquire({ signal: {} as never }), /signal/],
      ['call(5)', (l: RateLimiter) => l.call(5 as never), /fn/],
      ['call(fn, { signal: 1 })', (l: RateLimiter) => l.call(() => 1, { signal: 1 as never }), /signal/],
      ['wrap("f")', (l: RateLimiter) => l.wrap('f' as never), /fn/],
    ])('%s throws a TypeError synchronously', (_name, use, pattern) => {
      const limiter = new RateLimiter({ limit: 1, interval: 10 });
      expect(() => use(limiter)).toThrow(TypeError);
      expect(() => use(limiter)).toThrow(pattern);
      expect(limiter.pendingCount).toBe(0);
    });
  });
});
