import { Limiter } from '@lf/limit';
import { RateLimiter } from '@lf/throttle';
import { describe, expect, it, vi } from 'vitest';
import { delay, useFakeClock } from '@lf/test-support';
import { alcall } from './alcall.js';

/** A fake limiter: counts slots, records every acquire and release. */
function fakeLimiter(limit: number) {
  let active = 0;
  let peak = 0;
  const waiting: (() => void)[] = [];
  const log: string[] = [];
  const grant = (resolve: (release: () => void) => void) => {
    active++;
    peak = Math.max(peak, active);
    let released = false;
    resolve(() => {
      if (released) return;
      released = true;
      active--;
      log.push('release');
      waiting.shift()?.();
    });
  };
  return {
    log,
    get peak() {
      return peak;
    },
    get active() {
      return active;
    },
    acquire({ signal }: { signal?: AbortSignal }): Promise<() => void> {
      log.push('acquire');
      return new Promise((resolve, reject) => {
        if (active < limit) return grant(resolve);
        const go = () => grant(resolve);
        waiting.push(go);
        signal?.addEventListener('abort', () => {
          const i = waiting.indexOf(go);
          if (i >= 0) waiting.splice(i, 1);
          reject(signal.reason);
        });
      });
    },
  };
}

describe('alcall: limiter (a shared concurrency limit)', () => {
  useFakeClock();

  it('a real Limiter shared by two alcall runs caps them together', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let peak = 0;
    const fn = async (x: number) => {
      running++;
      peak = Math.max(peak, running);
      await delay(10);
      running--;
      return x;
    };
    const both = Promise.all([alcall([1, 2, 3], fn, { limiter }), alcall([4, 5, 6], fn, { limiter })]);
    await vi.advanceTimersByTimeAsync(100);
    await expect(both).resolves.toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(peak).toBe(2);
  });

  it('each item holds one slot for its whole retry loop, backoff included', async () => {
    const limiter = fakeLimiter(1);
    const events: string[] = [];
    const run = alcall(
      [1, 2],
      async (x: number, { attempt }) => {
        events.push(`${x}.${attempt}`);
        await delay(1);
        if (attempt < 3) throw new Error('again');
        return x;
      },
      { limiter, numRetries: 2, retryDelay: 5 },
    );
    await vi.advanceTimersByTimeAsync(100);
    await expect(run).resolves.toEqual([1, 2]);
    expect(events).toEqual(['1.1', '1.2', '1.3', '2.1', '2.2', '2.3']);
    expect(limiter.log).toEqual(['acquire', 'acquire', 'release', 'release']);
  });

  it('both limiter and maxConcurrent apply when both are given', async () => {
    const limiter = fakeLimiter(3);
    let running = 0;
    let peak = 0;
    const run = alcall(
      Array.from({ length: 8 }, (_, i) => i),
      async () => {
        running++;
        peak = Math.max(peak, running);
        await delay(5);
        running--;
      },
      { limiter, maxConcurrent: 2 },
    );
    await vi.advanceTimersByTimeAsync(100);
    await run;
    expect(peak).toBe(2);
    const wide = fakeLimiter(3);
    const run2 = alcall(
      Array.from({ length: 8 }, (_, i) => i),
      () => delay(5),
      { limiter: wide, maxConcurrent: 10 },
    );
    await vi.advanceTimersByTimeAsync(100);
    await run2;
    expect(wide.peak).toBe(3);
  });

  it('a failure aborts the items waiting for a slot: nothing new starts, every slot is given back', async () => {
    const limiter = fakeLimiter(1);
    const boom = new Error('boom');
    const started: number[] = [];
    const run = alcall(
      [1, 2, 3],
      async (x: number) => {
        started.push(x);
        await delay(1);
        throw boom;
      },
      { limiter },
    ).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(50);
    expect(await run).toBe(boom);
    expect(started).toEqual([1]);
    expect(limiter.active).toBe(0);
  });
});

describe('alcall: rateLimiter (a shared rate limit) and cost', () => {
  useFakeClock();

  it('is acquired before EVERY attempt, a retry included, with cost(item, index)', async () => {
    const asked: unknown[] = [];
    const rateLimiter = {
      acquire: (o: { signal?: AbortSignal; cost?: unknown }) => {
        asked.push(o.cost);
        expect(o.signal).toBeInstanceOf(AbortSignal);
        return Promise.resolve();
      },
    };
    const run = alcall(
      ['a', 'bbb'],
      (s: string, { attempt }) => {
        if (s === 'bbb' && attempt === 1) throw new Error('retry me');
        return s.length;
      },
      { rateLimiter, cost: (s, i) => ({ tokens: s.length * 10 + i }), numRetries: 1 },
    );
    await vi.advanceTimersByTimeAsync(10);
    await expect(run).resolves.toEqual([1, 3]);
    expect(asked).toEqual([{ tokens: 10 }, { tokens: 31 }, { tokens: 31 }]);
  });

  it('without cost, the cost is left to the limiter (1)', async () => {
    const asked: unknown[] = [];
    const rateLimiter = {
      acquire: (o: { cost?: unknown }) => {
        asked.push('cost' in o ? o.cost : 'default');
        return Promise.resolve();
      },
    };
    await alcall([1, 2], (x) => x, { rateLimiter });
    expect(asked).toEqual(['default', 'default']);
  });

  it('a real RateLimiter: no window of interval ms sees more than limit attempt starts, retries counted', async () => {
    const rateLimiter = new RateLimiter({ limit: 2, interval: 100 });
    const starts: number[] = [];
    const t0 = performance.now();
    const run = alcall(
      [1, 2, 3],
      (x: number, { attempt }) => {
        starts.push(performance.now() - t0);
        if (x === 1 && attempt === 1) throw new Error('retry');
        return x;
      },
      { rateLimiter, numRetries: 1 },
    );
    await vi.advanceTimersByTimeAsync(1000);
    await expect(run).resolves.toEqual([1, 2, 3]);
    expect(starts).toHaveLength(4);
    for (const s of starts) expect(starts.filter((t) => t >= s && t < s + 100).length).toBeLessThanOrEqual(2);
  });

  it('a real RateLimiter with costs: cost(item) is charged per attempt', async () => {
    const rateLimiter = new RateLimiter({ limit: 10, interval: 100 });
    const starts: number[] = [];
    const t0 = performance.now();
    const run = alcall([6, 6, 4], (_x: number) => starts.push(performance.now() - t0), { rateLimiter, cost: (x) => x });
    await vi.advanceTimersByTimeAsync(1000);
    await run;
    expect(starts).toEqual([0, 100, 100]);
  });

  it('aborting while waiting for the rate limit rejects with the reason and starts nothing more', async () => {
    const rateLimiter = new RateLimiter({ limit: 1, interval: 1000 });
    const controller = new AbortController();
    const reason = new Error('stop');
    const started: number[] = [];
    const run = alcall([1, 2, 3], (x: number) => started.push(x), { rateLimiter, signal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(0);
    expect(await run).toBe(reason);
    expect(started).toEqual([1]);
    expect(rateLimiter.pendingCount).toBe(0);
  });
});
