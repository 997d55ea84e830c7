import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bcall } from './bcall.js';

const FAKE = { toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] as ('setTimeout' | 'clearTimeout' | 'setInterval' | 'clearInterval' | 'performance' | 'Date')[] };

async function collect<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const batch of gen) out.push(batch);
  return out;
}

describe('bcall', () => {
  it('the seed example: 20 items in batches of 5, in order', async () => {
    const batches = await collect(bcall(Array.from({ length: 20 }, (_, i) => i), async (x: number) => x * 2, { batchSize: 5 }));
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
      bcall([1, 2, 3, 4], async (x: number) => {
        log.push(`start ${x}`);
        await Promise.resolve();
        log.push(`end ${x}`);
        return x;
      }, { batchSize: 2 }),
    );
    expect(batches).toEqual([[1, 2], [3, 4]]);
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
    for await (const batch of bcall(asyncSource(), (x: number) => {
      started++;
      return x;
    }, { batchSize: 10 })) {
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
    const gen = bcall([1, 2, 3, 4], (x: number) => {
      if (x === 3) throw boom;
      return x;
    }, { batchSize: 2 });
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
  beforeEach(() => vi.useFakeTimers(FAKE));
  afterEach(() => vi.useRealTimers());

  it('limits concurrency inside each batch', async () => {
    let running = 0;
    let peak = 0;
    const gen = collect(
      bcall(Array.from({ length: 10 }, (_, i) => i), async (x: number) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 10));
        running--;
        return x;
      }, { batchSize: 5, maxConcurrent: 2 }),
    );
    await vi.advanceTimersByTimeAsync(100);
    await expect(gen).resolves.toHaveLength(2);
    expect(peak).toBe(2);
  });
});
