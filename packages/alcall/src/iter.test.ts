import { describe, expect, it, vi } from 'vitest';
import { delay, useFakeClock } from '@lf/test-support';
import { alcallIter } from './iter.js';

async function collect<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of gen) out.push(value);
  return out;
}

/** [value, ms] items: each resolves `value` after `ms`, as in p-map's tests. */
const sleepy = async ([value, ms]: [number, number], ctx?: { signal: AbortSignal }) => {
  await delay(ms, ctx?.signal);
  return value;
};

describe('alcallIter', () => {
  useFakeClock();

  // p-map pMapIterable: "main" — results in input order.
  it('yields the results in input order by default', async () => {
    const input: [number, number][] = [
      [10, 300],
      [20, 200],
      [30, 100],
    ];
    const out = collect(alcallIter(input, sleepy, { maxConcurrent: 3 }));
    await vi.advanceTimersByTimeAsync(400);
    await expect(out).resolves.toEqual([10, 20, 30]);
  });

  it('with ordered: false yields in completion order', async () => {
    const input: [number, number][] = [
      [10, 300],
      [20, 200],
      [30, 100],
    ];
    const out = collect(alcallIter(input, sleepy, { maxConcurrent: 3, ordered: false }));
    await vi.advanceTimersByTimeAsync(400);
    await expect(out).resolves.toEqual([30, 20, 10]);
  });

  it('starts nothing before the first pull, and reads the input only as the consumer pulls', async () => {
    let pulled = 0;
    function* source() {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield i;
      }
    }
    const it = alcallIter(source(), (x: number) => x, { maxConcurrent: 2, backpressure: 4 });
    await vi.advanceTimersByTimeAsync(0);
    expect(pulled).toBe(0);
    expect(await it.next()).toEqual({ done: false, value: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(pulled).toBeLessThanOrEqual(5);
    await it.return();
  });

  // p-map pMapIterable: "backpressure".
  it('never runs more than maxConcurrent, never holds more than backpressure results for a slow consumer', async () => {
    let running = 0;
    let peak = 0;
    let started = 0;
    const it = alcallIter(
      Array.from({ length: 50 }, (_, i) => i),
      async (x: number) => {
        started++;
        running++;
        peak = Math.max(peak, running);
        await delay(10);
        running--;
        return x;
      },
      { maxConcurrent: 2, backpressure: 5 },
    );
    const first = it.next();
    await vi.advanceTimersByTimeAsync(200);
    expect((await first).value).toBe(0);
    // The consumer holds on to result 0: at most 5 items are running or waiting.
    expect(started).toBeLessThanOrEqual(6);
    expect(peak).toBeLessThanOrEqual(2);
    const rest: number[] = [];
    const drain = (async () => {
      for (let step = await it.next(); step.done !== true; step = await it.next()) rest.push(step.value);
    })();
    await vi.advanceTimersByTimeAsync(1000);
    await drain;
    expect(rest).toEqual(Array.from({ length: 49 }, (_, i) => i + 1));
    expect(peak).toBe(2);
  });

  it('backpressure below maxConcurrent is a RangeError naming it', async () => {
    await expect(alcallIter([1], (x) => x, { maxConcurrent: 4, backpressure: 2 }).next()).rejects.toThrow(/backpressure/);
    await expect(alcallIter([1], (x) => x, { maxConcurrent: 4, backpressure: 2 }).next()).rejects.toThrow(RangeError);
  });

  // p-map pMapIterable: "early break" — and lf's promise: running items are aborted and awaited.
  it('leaving the loop early aborts the running items and waits for them before the loop exits; the input is closed', async () => {
    let running = 0;
    let closed = false;
    const reasons: unknown[] = [];
    function* source() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    const done = (async () => {
      for await (const value of alcallIter(
        source(),
        async (x: number, { signal }) => {
          running++;
          try {
            await delay(x === 0 ? 1 : 50, signal);
          } catch (reason) {
            reasons.push(reason);
            await delay(5); // cleanup that ignores the signal
          } finally {
            running--;
          }
          return x;
        },
        { maxConcurrent: 3 },
      )) {
        expect(value).toBe(0);
        break;
      }
      return running;
    })();
    await vi.advanceTimersByTimeAsync(100);
    expect(await done).toBe(0);
    expect(reasons).toHaveLength(3); // items 1, 2 and 3 (started when 0 finished)
    expect((reasons[0] as Error).name).toBe('CancelledError');
    expect(closed).toBe(true);
  });

  it('return() while a next() is pending aborts the running items; the pending next() resolves done', async () => {
    const it = alcallIter([1, 2], (_x: number, { signal }) => delay(1000, signal).then(() => 'late'), { maxConcurrent: 2 });
    const step = it.next();
    await vi.advanceTimersByTimeAsync(1);
    const left = it.return();
    await vi.advanceTimersByTimeAsync(1);
    expect(await left).toEqual({ done: true, value: undefined });
    expect(await step).toEqual({ done: true, value: undefined });
  });

  it('a failure aborts and awaits the running items, then the iterator throws it', async () => {
    const boom = new Error('boom');
    let running = 0;
    const it = alcallIter(
      [0, 1, 2, 3],
      async (x: number, { signal }) => {
        running++;
        try {
          if (x === 1) {
            await delay(5);
            throw boom;
          }
          await delay(100, signal).catch(() => delay(3));
          return x;
        } finally {
          running--;
        }
      },
      { maxConcurrent: 4 },
    );
    const first = it.next().then(
      () => 'resolved',
      (e: unknown) => ({ e, running }),
    );
    await vi.advanceTimersByTimeAsync(50);
    expect(await first).toEqual({ e: boom, running: 0 });
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });

  it('with retryDefault a failure yields the default; settle yields records; retryTiming yields [result, ms]', async () => {
    const fail = (x: number) => {
      if (x === 2) throw new Error('two');
      return x;
    };
    const defaults = collect(alcallIter([1, 2, 3], fail, { retryDefault: 0 }));
    const settled = collect(alcallIter([1, 2], fail, { settle: true }));
    const timed = collect(alcallIter([1], (x: number) => x, { retryTiming: true }));
    await vi.advanceTimersByTimeAsync(10);
    await expect(defaults).resolves.toEqual([1, 0, 3]);
    const records = await settled;
    expect(records[0]).toEqual({ status: 'fulfilled', value: 1 });
    expect(records[1]).toMatchObject({ status: 'rejected', reason: { message: 'two' } });
    const [pair] = await timed;
    expect(pair?.[0]).toBe(1);
    expect(typeof pair?.[1]).toBe('number');
  });

  it('dropna skips null and undefined results, in both orders', async () => {
    const f = (x: number) => (x % 2 === 0 ? null : x);
    const a = collect(alcallIter([1, 2, 3, 4, 5], f, { dropna: true }));
    const b = collect(alcallIter([1, 2, 3, 4, 5], f, { dropna: true, ordered: false, maxConcurrent: 1 }));
    await vi.advanceTimersByTimeAsync(0);
    await expect(a).resolves.toEqual([1, 3, 5]);
    await expect(b).resolves.toEqual([1, 3, 5]);
  });

  it('flatten and uniqueOutput are RangeErrors naming the option; typos are TypeErrors', async () => {
    await expect(alcallIter([1], (x) => x, { flatten: true }).next()).rejects.toThrow(/flatten/);
    await expect(alcallIter([1], (x) => x, { flatten: true, uniqueOutput: true }).next()).rejects.toThrow(RangeError);
    await expect(alcallIter([1], (x) => x, { orderd: false } as never).next()).rejects.toThrow(
      "alcallIter: unknown option 'orderd' (did you mean 'ordered'?)",
    );
  });

  it('an abort of signal rejects the pending next() with its reason after the running items settle', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const it = alcallIter([1, 2, 3], (_x: number, { signal }) => delay(100, signal), { maxConcurrent: 2, signal: controller.signal });
    const step = it.next().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1);
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(1);
    expect(await step).toBe(reason);
  });

  it('stopOnError: false yields every success, then throws an AggregateError of the failures in input order', async () => {
    const it = alcallIter(
      [1, 2, 3, 4],
      (x: number) => {
        if (x % 2 === 0) throw new Error(`e${x}`);
        return x;
      },
      { stopOnError: false },
    );
    const values: unknown[] = [];
    const error = await (async () => {
      try {
        for await (const v of it) values.push(v);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(values).toEqual([1, 3]);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual(['e2', 'e4']);
  });

  it('reads an async iterable one item at a time, lazily', async () => {
    async function* source() {
      for (let i = 0; i < 5; i++) {
        await delay(1);
        yield i;
      }
    }
    const out = collect(alcallIter(source(), (x: number) => x * 2, { maxConcurrent: 2 }));
    await vi.advanceTimersByTimeAsync(20);
    await expect(out).resolves.toEqual([0, 2, 4, 6, 8]);
  });
});
