import { now } from '@lf/scope';
import { describe, expect, it, vi } from 'vitest';
import { useFakeClock, windowsOver, type Released } from '@lf/test-support';
import type { Grant } from './limits.js';
import { RateLimiter } from './rate-limiter.js';
import type { AcquireOptions } from './rate-limiter.js';

const LLM = { limits: { requests: { limit: 3, interval: 100 }, tokens: { limit: 1000, interval: 100 } } };
/** The limits of LLM in the limiter's (sorted) order. */
const LLM_LIMITS = [LLM.limits.requests, LLM.limits.tokens];

describe('RateLimiter costs, named limits and settle', () => {
  useFakeClock();

  /** Acquires in order; each release is logged with its costs as [requests, tokens] (or [cost]). */
  function requestAll(
    limiter: RateLimiter,
    costs: (AcquireOptions['cost'] | undefined)[],
    log: (Released & { i: number; grant: Grant })[],
    toCosts: (c: AcquireOptions['cost'] | undefined) => number[],
  ) {
    return costs.map((cost, i) =>
      limiter.acquire(cost === undefined ? undefined : { cost }).then((grant) => {
        log.push({ i, at: grant.at, costs: toCosts(cost), grant });
      }),
    );
  }
  const single = (c: AcquireOptions['cost'] | undefined): number[] => [typeof c === 'number' ? c : 1];
  const named = (c: AcquireOptions['cost'] | undefined): number[] =>
    typeof c === 'number' ? [c, c] : c === undefined ? [1, 1] : [c.requests ?? 1, c.tokens ?? 1];

  it('a cost counts against the limit: the costs released in any window sum to at most limit', async () => {
    const limiter = new RateLimiter({ limit: 10, interval: 100 });
    const t0 = now();
    const log: (Released & { i: number; grant: Grant })[] = [];
    const all = requestAll(limiter, [4, 4, 4, 2, 10, 1], log, single);
    await vi.advanceTimersByTimeAsync(500);
    await Promise.all(all);
    expect(log.map((r) => r.at - t0)).toEqual([0, 0, 100, 100, 200, 300]);
    expect(windowsOver(log, [{ limit: 10, interval: 100 }])).toEqual([]);
  });

  it('cost 0 is released at once when first in line and counts nothing', async () => {
    const limiter = new RateLimiter({ limit: 1, interval: 100 });
    await limiter.acquire();
    const t0 = now();
    const grant = await limiter.acquire({ cost: 0 });
    expect(grant.at).toBe(t0);
    let at = -1;
    const next = limiter.acquire().then((g) => (at = g.at - t0));
    await vi.advanceTimersByTimeAsync(100);
    await next;
    expect(at).toBe(100);
  });

  it('FIFO with mixed costs: a costly head makes cheaper ones wait, nobody is overtaken', async () => {
    const limiter = new RateLimiter({ limit: 10, interval: 100 });
    const t0 = now();
    const log: (Released & { i: number; grant: Grant })[] = [];
    // 9 fits, then 10 must wait for a whole window, and the 1s behind it wait too (they would fit at once).
    const all = requestAll(limiter, [9, 10, 1, 1, 0], log, single);
    await vi.advanceTimersByTimeAsync(0);
    expect(log.map((r) => r.i)).toEqual([0]);
    expect(limiter.pendingCount).toBe(4);
    await vi.advanceTimersByTimeAsync(300);
    await Promise.all(all);
    expect(log.map((r) => r.i)).toEqual([0, 1, 2, 3, 4]);
    expect(log.map((r) => r.at - t0)).toEqual([0, 100, 200, 200, 200]);
    expect(windowsOver(log, [{ limit: 10, interval: 100 }])).toEqual([]);
  });

  it('nobody starves: a stream of cheap requests never overtakes a costly one', async () => {
    const limiter = new RateLimiter({ limit: 10, interval: 100 });
    const t0 = now();
    const order: string[] = [];
    const ats: number[] = [];
    const take = (name: string, cost: number): Promise<void> =>
      limiter.acquire({ cost }).then((g) => {
        order.push(name);
        ats.push(g.at - t0);
      });
    const all = [take('a', 1), take('b', 1), take('c', 1), take('BIG', 10)];
    for (let k = 0; k < 20; k++) {
      all.push(take(`x${k}`, 1)); // would fit at once, 7 of them, if they could overtake
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(all);
    expect(order).toEqual(['a', 'b', 'c', 'BIG', ...Array.from({ length: 20 }, (_, k) => `x${k}`)]);
    expect(ats.slice(0, 5)).toEqual([0, 0, 0, 100, 200]); // BIG goes when a, b, c leave; x0 when BIG leaves
    expect(
      windowsOver(
        ats.map((at, i) => ({ at, costs: [order[i] === 'BIG' ? 10 : 1] })),
        [{ limit: 10, interval: 100 }],
      ),
    ).toEqual([]);
  });

  it('named limits are granted atomically: a request waits until every limit has room, and consumes nothing meanwhile', async () => {
    const limiter = new RateLimiter(LLM);
    const t0 = now();
    const log: (Released & { i: number; grant: Grant })[] = [];
    const all = requestAll(limiter, [{ tokens: 900 }, { tokens: 200 }, { tokens: 50 }, { tokens: 50 }, {}], log, named);
    await vi.advanceTimersByTimeAsync(0);
    // tokens refuse the second: it consumes no request either, and the third (which would fit) waits behind it.
    expect(log.map((r) => r.i)).toEqual([0]);
    await vi.advanceTimersByTimeAsync(300);
    await Promise.all(all);
    expect(log.map((r) => r.at - t0)).toEqual([0, 100, 100, 100, 200]); // 3 requests per window
    expect(windowsOver(log, LLM_LIMITS)).toEqual([]);
  });

  it('the requests limit alone can hold a request, whatever its tokens', async () => {
    const limiter = new RateLimiter(LLM);
    const t0 = now();
    const log: (Released & { i: number; grant: Grant })[] = [];
    const all = requestAll(limiter, [{ tokens: 1 }, { tokens: 1 }, { tokens: 1 }, { tokens: 1 }], log, named);
    await vi.advanceTimersByTimeAsync(200);
    await Promise.all(all);
    expect(log.map((r) => r.at - t0)).toEqual([0, 0, 0, 100]);
  });

  it('a cost above a limit is a RangeError at acquire, and nothing is queued', () => {
    const limiter = new RateLimiter(LLM);
    expect(() => limiter.acquire({ cost: { tokens: 1001 } })).toThrow(RangeError);
    expect(() => limiter.acquire({ cost: 4 })).toThrow(/cost must be <= limits\.requests\.limit \(3\)/);
    expect(() => limiter.call(() => 1, { cost: { token: 5 } })).toThrow(/unknown limit 'token' \(did you mean 'tokens'\?\)/);
    expect(limiter.pendingCount).toBe(0);
  });

  it('settle refunds: the window counts the new cost at the original time, and a waiter goes at once', async () => {
    const limiter = new RateLimiter(LLM);
    const t0 = now();
    const first = await limiter.acquire({ cost: { tokens: 1000 } }); // an estimate: the whole budget
    let secondAt = -1;
    const second = limiter.acquire({ cost: { tokens: 500 } }).then((g) => (secondAt = g.at - t0));
    await vi.advanceTimersByTimeAsync(30);
    expect(secondAt).toBe(-1);
    first.settle({ tokens: 400 }); // the response said 400
    await vi.advanceTimersByTimeAsync(0);
    await second;
    expect(secondAt).toBe(30);
    // 400 + 500 at 0 and 30: 100 left until the first leaves at 100.
    let thirdAt = -1;
    const third = limiter.acquire({ cost: { tokens: 200 } }).then((g) => (thirdAt = g.at - t0));
    await vi.advanceTimersByTimeAsync(100);
    await third;
    expect(thirdAt).toBe(100);
  });

  it('settle charges extra: later admissions count the new cost, even above the limit, until it leaves the window', async () => {
    const limiter = new RateLimiter({ limit: 100, interval: 100 });
    const t0 = now();
    const grant = await limiter.acquire({ cost: 10 });
    expect(grant.at).toBe(t0);
    grant.settle(150); // spent more than the whole limit: allowed, it is what happened
    let at = -1;
    const next = limiter.acquire({ cost: 1 }).then((g) => (at = g.at - t0));
    await vi.advanceTimersByTimeAsync(99);
    expect(at).toBe(-1);
    await vi.advanceTimersByTimeAsync(1);
    await next;
    expect(at).toBe(100); // the window holds it until the charged grant leaves, at its original time + interval
  });

  it('settle while a waiter is queued re-times its wait (an extra charge delays it)', async () => {
    const limiter = new RateLimiter({ limit: 10, interval: 100 });
    const t0 = now();
    const a = await limiter.acquire({ cost: 5 });
    await vi.advanceTimersByTimeAsync(50);
    const b = await limiter.acquire({ cost: 5 }); // at 50
    let at = -1;
    const c = limiter.acquire({ cost: 5 }).then((g) => (at = g.at - t0)); // due at 100, when a leaves
    b.settle(10); // now b alone fills the window until 150
    await vi.advanceTimersByTimeAsync(100);
    await c;
    expect(a.at - t0).toBe(0);
    expect(at).toBe(150);
  });

  it('settle is validated like a cost (TypeError / RangeError naming cost), and a settled grant can settle again', async () => {
    const limiter = new RateLimiter(LLM);
    const grant = await limiter.acquire();
    expect(() => grant.settle(-1)).toThrow(RangeError);
    expect(() => grant.settle(Number.NaN)).toThrow(/cost/);
    expect(() => grant.settle('2' as never)).toThrow(TypeError);
    expect(() => grant.settle({ tokenz: 3 })).toThrow(/did you mean 'tokens'/);
    grant.settle({ tokens: 5000 });
    grant.settle({ tokens: 10 });
  });

  it('settle after the grant left the window changes nothing', async () => {
    const limiter = new RateLimiter({ limit: 1, interval: 100 });
    const grant = await limiter.acquire();
    await vi.advanceTimersByTimeAsync(100);
    grant.settle(1); // long gone
    const t0 = now();
    expect((await limiter.acquire()).at).toBe(t0);
  });

  it('wrap takes the cost from the arguments; a cost function that throws rejects that call only', async () => {
    const limiter = new RateLimiter(LLM);
    const t0 = now();
    const seen: [string, number][] = [];
    const complete = limiter.wrap(
      (prompt: string) => {
        seen.push([prompt, now() - t0]);
        return prompt.length;
      },
      {
        cost: (prompt) => {
          if (prompt === 'bad') throw new Error('no cost');
          return { tokens: prompt.length * 100 };
        },
      },
    );
    const all = [complete('aaaaaaa'), complete('bbbb'), complete('bad'), complete('c')];
    const bad = expect(all[2]).rejects.toThrow('no cost');
    await vi.advanceTimersByTimeAsync(100);
    await bad;
    expect(await Promise.all([all[0], all[1], all[3]])).toEqual([7, 4, 1]);
    expect(seen).toEqual([
      ['aaaaaaa', 0],
      ['bbbb', 100], // 700 + 400 > 1000
      ['c', 100],
    ]);
  });

  it('wrap rejects a cost above a limit per call, a bad cost option at once', async () => {
    const limiter = new RateLimiter({ limit: 5, interval: 100 });
    const f = limiter.wrap((n: number) => n, { cost: (n) => n });
    await expect(f(6)).rejects.toThrow(RangeError);
    expect(await f(5)).toBe(5);
    expect(() => limiter.wrap((n: number) => n, { cost: 5 as never })).toThrow(/cost must be a function/);
    expect(() => limiter.wrap((n: number) => n, { costs: () => 1 } as never)).toThrow(/unknown option 'costs' \(did you mean 'cost'\?\)/);
  });

  it('call counts the cost and refunds it when aborted between the release and the start', async () => {
    const limiter = new RateLimiter({ limit: 2, interval: 100 });
    const controller = new AbortController();
    const fn = vi.fn();
    const promise = limiter.call(fn, { signal: controller.signal, cost: 2 });
    controller.abort('late'); // the release was granted synchronously, fn would start in a microtask
    await expect(promise).rejects.toBe('late');
    expect(fn).not.toHaveBeenCalled();
    const t0 = now();
    expect((await limiter.acquire({ cost: 2 })).at).toBe(t0); // the refund left the window empty
  });

  it('options are read once and unknown names are TypeErrors with a suggestion', () => {
    const limiter = new RateLimiter({ limit: 5, interval: 100 });
    expect(() => limiter.acquire({ costs: 1 } as never)).toThrow(/RateLimiter\.acquire: unknown option 'costs' \(did you mean 'cost'\?\)/);
    expect(() => limiter.call(() => 1, { sigal: undefined } as never)).toThrow(/unknown option 'sigal' \(did you mean 'signal'\?\)/);
    let reads = 0;
    class Opts {
      get cost(): number {
        reads++;
        return 2;
      }
    }
    void limiter.acquire(new Opts());
    expect(reads).toBe(1);
  });
});
