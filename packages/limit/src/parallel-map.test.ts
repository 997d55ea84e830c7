import { CancelledError } from '@lf/scope';
import { describe, expect, it, vi } from 'vitest';
import { parallelMap } from './parallel-map.js';
import { flush, gauge } from '@lf/test-support';

describe('parallelMap', () => {
  it('the seed example: doubles [1..5] with at most 3 running, in input order', async () => {
    const g = gauge();
    const results = await parallelMap(
      async (item: number) => {
        g.enter();
        await flush(6 - item);
        g.leave();
        return item * 2;
      },
      [1, 2, 3, 4, 5],
      3,
    );
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(g.max).toBe(3);
  });

  it('runs at most 10 at once by default', async () => {
    const g = gauge();
    await parallelMap(
      async () => {
        g.enter();
        await flush(3);
        g.leave();
      },
      Array.from({ length: 40 }, (_, i) => i),
    );
    expect(g.max).toBe(10);
  });

  it('calls fn(item, index, { signal })', async () => {
    const fn = vi.fn((item: string, index: number, ctx: { signal: AbortSignal }) => `${item}${index}${ctx.signal.aborted}`);
    expect(await parallelMap(fn, new Set(['a', 'b']), 2)).toEqual(['a0false', 'b1false']);
  });

  it('maps an async iterable', async () => {
    async function* letters(): AsyncGenerator<string> {
      yield 'x';
      yield 'y';
    }
    expect(await parallelMap((s) => s.toUpperCase(), letters(), 1)).toEqual(['X', 'Y']);
  });

  it('a failure aborts running siblings, waits for them, starts nothing new, rejects with the original error', async () => {
    const boom = new Error('boom');
    const started: number[] = [];
    const settled: number[] = [];
    const reasons: unknown[] = [];
    const run = parallelMap(
      async (item: number, index, { signal }) => {
        started.push(index);
        if (item === 1) throw boom;
        await new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            reasons.push(signal.reason);
            void flush(3).then(resolve);
          });
        });
        settled.push(index);
      },
      [0, 1, 2, 3, 4, 5],
      2,
    );
    await expect(run).rejects.toBe(boom);
    expect(started).toEqual([0, 1]);
    expect(settled).toEqual([0]);
    expect(reasons[0]).toBeInstanceOf(CancelledError);
  });

  it('abort stops starting new items and rejects with the reason after running ones settle', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const settled: number[] = [];
    const run = parallelMap(
      async (_: number, index, { signal }) => {
        started.push(index);
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => void flush(2).then(resolve)));
        settled.push(index);
      },
      [0, 1, 2, 3],
      2,
      { signal: controller.signal },
    );
    await flush();
    controller.abort(new Error('stop'));
    await expect(run).rejects.toThrow('stop');
    expect(started).toEqual([0, 1]);
    expect(settled).toEqual([0, 1]);
  });

  it('rejects bad arguments synchronously, naming them', () => {
    const fn = (x: number): number => x;
    expect(() => parallelMap(fn, [1], 0)).toThrow(RangeError);
    expect(() => parallelMap(fn, [1], 2.5)).toThrow(/maxConcurrency/);
    expect(() => parallelMap(fn, 3 as unknown as number[])).toThrow(/items/);
    expect(() => parallelMap(fn, undefined as unknown as number[])).toThrow(TypeError);
    expect(() => parallelMap(null as unknown as typeof fn, [1])).toThrow(/fn/);
    expect(() => parallelMap(fn, [1], 2, { signal: 'x' as unknown as AbortSignal })).toThrow(/signal/);
    expect(() => parallelMap(fn, [1], Infinity)).not.toThrow();
  });

  it('an unknown option name is a TypeError naming it, before any call', () => {
    const fn = vi.fn();
    expect(() => parallelMap(fn, [1], 2, { sigal: AbortSignal.abort() } as unknown as { signal: AbortSignal })).toThrow(
      new TypeError("parallelMap: unknown option 'sigal' (did you mean 'signal'?)"),
    );
    expect(fn).not.toHaveBeenCalled();
  });
});
