import { describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '@lf/test-support';
import { bcall } from './bcall.js';

async function collect<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const batch of gen) out.push(batch);
  return out;
}

describe('bcall', () => {
  it('the seed example: 20 items in batches of 5, in order', async () => {
    const batches = await collect(
      bcall(
        Array.from({ length: 20 }, (_, i) => i),
        async (x: number) => x * 2,
        { batchSize: 5 },
      ),
    );
    expect(batches).toEqual([
      [0, 2, 4, 6, 8],
      [10, 12, 14, 16, 18],
      [20, 22, 24, 26, 28],
      [30, 32, 34, 36, 38],
    ]);
  });

  it('runs one batch at a time: a batch starts only after the previous one finished', async () => {
    const log: string[] = [];
    const batches = await collect(
      bcall(
        [1, 2, 3, 4],
        async (x: number) => {
          log.push(`start ${x}`);
          await Promise.resolve();
          log.push(`end ${x}`);
          return x;
        },
        { batchSize: 2 },
      ),
    );
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(log.indexOf('start 3')).toBeGreaterThan(log.indexOf('end 2'));
    expect(log.indexOf('start 3')).toBeGreaterThan(log.indexOf('end 1'));
  });

  it('flattens nested input and drops nulls before batching', async () => {
    const batches = await collect(bcall([[1, null], [2, [3]], undefined, 4], (x) => x, { batchSize: 3 }));
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('hands calls their index in the whole input, not in the batch', async () => {
    const indexes: number[] = [];
    await collect(bcall(['a', 'b', 'c'], (_x, { index }) => indexes.push(index), { batchSize: 2 }));
    expect(indexes).toEqual([0, 1, 2]);
  });

  it('reads an async iterable one batch at a time', async () => {
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 9; i++) {
        pulled++;
        yield i;
      }
    }
    const seenPulled: number[] = [];
    for await (const batch of bcall(source(), (x: number) => x, { batchSize: 3 })) {
      seenPulled.push(pulled);
      expect(batch).toHaveLength(3);
    }
    expect(seenPulled).toEqual([3, 6, 9]);
  });

  it('breaking out of bcall stops the work: no further batch starts and the source is closed', async () => {
    let closed = false;
    let started = 0;
    function* source() {
      try {
        for (let i = 0; i < 100; i++) yield i;
      } finally {
        closed = true;
      }
    }
    async function* asyncSource() {
      yield* source();
    }
    for await (const batch of bcall(
      asyncSource(),
      (x: number) => {
        started++;
        return x;
      },
      { batchSize: 10 },
    )) {
      expect(batch).toHaveLength(10);
      break;
    }
    expect(started).toBe(10);
    expect(closed).toBe(true);
  });

  it('onProgress counts across batches', async () => {
    const seen: unknown[] = [];
    await collect(bcall([1, 2, 3], (x) => x, { batchSize: 2, onProgress: (p) => seen.push({ ...p }) }));
    expect(seen.at(-1)).toEqual({ completed: 3, failed: 0, total: 3 });
  });

  it('a failing batch rejects the iteration with the original error', async () => {
    const boom = new Error('boom');
    const gen = bcall(
      [1, 2, 3, 4],
      (x: number) => {
        if (x === 3) throw boom;
        return x;
      },
      { batchSize: 2 },
    );
    const first = await gen.next();
    expect(first.value).toEqual([1, 2]);
    await expect(gen.next()).rejects.toBe(boom);
  });

  it.each([
    [{ batchSize: 0 }, RangeError],
    [{ batchSize: 2.5 }, RangeError],
    [{}, TypeError],
    [{ batchSize: 2, maxConcurrent: 0 }, RangeError],
  ])('refuses %o before any call runs', async (opts, type) => {
    const fn = vi.fn();
    await expect(collect(bcall([1, 2], fn, opts as never))).rejects.toThrow(type);
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('bcall with timers', () => {
  useFakeClock();

  it('limits concurrency inside each batch', async () => {
    let running = 0;
    let peak = 0;
    const gen = collect(
      bcall(
        Array.from({ length: 10 }, (_, i) => i),
        async (x: number) => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 10));
          running--;
          return x;
        },
        { batchSize: 5, maxConcurrent: 2 },
      ),
    );
    await vi.advanceTimersByTimeAsync(100);
    await expect(gen).resolves.toHaveLength(2);
    expect(peak).toBe(2);
  });
});

describe('bcall: each batch is one alcall', () => {
  it('sanitizeInput and uniqueInput apply per batch (the seed: [1, 1, 2] gives [[1, 2]])', async () => {
    const calls: number[] = [];
    const batches = await collect(
      bcall([1, 1, 2], (x: number) => (calls.push(x), x), { batchSize: 3, sanitizeInput: true, uniqueInput: true }),
    );
    expect(calls).toEqual([1, 2]);
    expect(batches).toEqual([[1, 2]]);
  });

  it('a sync iterable is read one batch at a time', async () => {
    let pulled = 0;
    function* source() {
      for (let i = 0; i < 9; i++) {
        pulled++;
        yield i;
      }
    }
    const seen: number[] = [];
    for await (const _batch of bcall(source(), (x: number) => x, { batchSize: 3 })) seen.push(pulled);
    expect(seen).toEqual([3, 6, 9]);
  });

  it('aborting while the input waits on a next() that never answers rejects at once with the reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop reading');
    const items = [1];
    const source: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: () =>
          items.length > 0
            ? Promise.resolve({ done: false as const, value: items.shift()! })
            : new Promise<IteratorResult<number>>(() => undefined),
      }),
    };
    const gen = bcall(source, (x: number) => x, { batchSize: 2, signal: controller.signal });
    setTimeout(() => controller.abort(reason), 5);
    await expect(gen.next()).rejects.toBe(reason);
  });

  it('leaving early while a batch runs aborts that batch and waits for it before the leave settles', async () => {
    let running = 0;
    const reasons: unknown[] = [];
    const gen = bcall(
      [1, 2, 3, 4],
      (_x: number, { signal }) =>
        new Promise((resolve) => {
          running++;
          signal.addEventListener('abort', () => {
            reasons.push(signal.reason);
            setTimeout(() => {
              running--;
              resolve('late');
            }, 5);
          });
        }),
      { batchSize: 2 },
    );
    const step = gen.next();
    await new Promise((r) => setTimeout(r, 1));
    expect(running).toBe(2);
    const left = await gen.return();
    expect(left.done).toBe(true);
    expect(running).toBe(0);
    expect(reasons).toHaveLength(2);
    expect((reasons[0] as Error).name).toBe('CancelledError');
    expect((await step).done).toBe(true);
  });

  it('the batch error is what the caller sees: an error from closing the input never replaces it', async () => {
    const boom = new Error('batch failed');
    const source: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => {
        let i = 0;
        return {
          next: () => Promise.resolve({ done: false as const, value: i++ }),
          return: () => Promise.reject(new Error('close failed')),
        };
      },
    };
    const gen = bcall(
      source,
      (x: number) => {
        if (x === 1) throw boom;
        return x;
      },
      { batchSize: 2 },
    );
    await expect(gen.next()).rejects.toBe(boom);
  });

  it('never calls return() on an input whose own next() threw, and rethrows that error', async () => {
    const broken = new Error('next threw');
    const close = vi.fn();
    const source: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.reject(broken),
        return: close,
      }),
    };
    await expect(collect(bcall(source, (x: number) => x, { batchSize: 2 }))).rejects.toBe(broken);
    expect(close).not.toHaveBeenCalled();
  });
});

describe('bcall: one throttle schedule', () => {
  useFakeClock();

  it('one throttlePeriod schedule spans all batches: starts at 0, 60, 120, 180 ms', async () => {
    const starts: number[] = [];
    const t0 = performance.now();
    const done = collect(bcall([1, 2, 3, 4], () => starts.push(performance.now() - t0), { batchSize: 2, throttlePeriod: 60 }));
    await vi.advanceTimersByTimeAsync(500);
    await done;
    expect(starts).toEqual([0, 60, 120, 180]);
  });
});
