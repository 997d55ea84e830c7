import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '@lf/test-support';
import { throttle } from './decorator.js';
import { RateLimiter } from './rate-limiter.js';
import { Throttle } from './throttle.js';

describe('a queued call runs in the async context of the code that queued it (Node AsyncLocalStorage)', () => {
  useFakeClock();

  const store = new AsyncLocalStorage<number>();

  it("call: fn sees its caller's store, not the one of whoever freed the window", async () => {
    const limiter = new RateLimiter({ limit: 1, interval: 10 });
    const seen: (number | undefined)[] = [];
    const all = [1, 2, 3].map((id) => store.run(id, () => limiter.call(() => seen.push(store.getStore()))));
    await vi.advanceTimersByTimeAsync(30);
    await Promise.all(all);
    expect(seen).toEqual([1, 2, 3]);
  });

  it("wrap and the throttle decorator: each queued call sees its caller's store", async () => {
    const limiter = new RateLimiter({ limits: { a: { limit: 2, interval: 10 }, b: { limit: 3, interval: 50 } } });
    const seen: (number | undefined)[] = [];
    const record = (): number => seen.push(store.getStore() ?? -1);
    const wrapped = limiter.wrap(record, { cost: () => ({ a: 1 }) });
    const decorated = throttle(5)(record);
    const all = [1, 2, 3, 4, 5].flatMap((id) => store.run(id, () => [wrapped(), decorated()]));
    await vi.advanceTimersByTimeAsync(200);
    await Promise.all(all);
    expect([...seen].sort()).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it("acquire: the caller's continuation after await runs in its own context", async () => {
    const t = new Throttle(10);
    const seen: (number | undefined)[] = [];
    const all = [7, 8, 9].map((id) =>
      store.run(id, async () => {
        await t.acquire();
        seen.push(store.getStore());
      }),
    );
    await vi.advanceTimersByTimeAsync(30);
    await Promise.all(all);
    expect(seen).toEqual([7, 8, 9]);
  });

  it('a waiter released after another one aborts keeps its own context', async () => {
    const limiter = new RateLimiter({ limit: 1, interval: 100 });
    await limiter.acquire();
    const controller = new AbortController();
    const aborted = store.run(1, () => limiter.call(() => store.getStore(), { signal: controller.signal }));
    const next = store.run(2, () => limiter.call(() => store.getStore()));
    store.run(3, () => {
      controller.abort(new Error('stop'));
    });
    await expect(aborted).rejects.toThrow('stop');
    await vi.advanceTimersByTimeAsync(100);
    expect(await next).toBe(2);
  });
});
