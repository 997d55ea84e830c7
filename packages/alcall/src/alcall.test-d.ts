import { describe, expectTypeOf, it } from 'vitest';
import { alcall, type CallContext } from './alcall.js';
import { bcall } from './bcall.js';
import type { ALCallOptions } from './options.js';
import { alcallIter } from './iter.js';
import { ALCallParams, BCallParams } from './params.js';
import type { SettledResult } from './result.js';

describe('alcall types', () => {
  it('resolves an array of the awaited results', () => {
    expectTypeOf(alcall([1, 2], async (x) => String(x))).toEqualTypeOf<Promise<string[]>>();
  });

  it('with retryTiming: true resolves [R, number] pairs', () => {
    expectTypeOf(alcall([1, 2], async (x) => x * 2, { retryTiming: true })).toEqualTypeOf<Promise<[number, number][]>>();
  });

  it('with flatten the element type is unknown', () => {
    expectTypeOf(alcall([1], (x) => [x], { flatten: true })).toEqualTypeOf<Promise<unknown[]>>();
  });

  it('retryDefault widens the result type and dropna removes null and undefined', () => {
    expectTypeOf(alcall([1], (x) => x, { retryDefault: 'none' as const })).toEqualTypeOf<Promise<(number | 'none')[]>>();
    expectTypeOf(alcall([1], (x) => (x > 0 ? x : null), { dropna: true })).toEqualTypeOf<Promise<number[]>>();
  });

  it('passes the item type and a CallContext to fn', () => {
    void alcall(['a'], (item, ctx) => {
      expectTypeOf(item).toEqualTypeOf<string>();
      expectTypeOf(ctx).toEqualTypeOf<CallContext>();
      return item;
    });
  });

  it('types inline option callbacks from the options (no implicit any)', () => {
    void alcall([1], (x) => x, {
      numRetries: 1,
      onRetry: (error, attempt, delayMs) => {
        expectTypeOf(error).toEqualTypeOf<unknown>();
        expectTypeOf(attempt).toEqualTypeOf<number>();
        expectTypeOf(delayMs).toEqualTypeOf<number>();
      },
      onProgress: (p) => expectTypeOf(p.total).toEqualTypeOf<number | undefined>(),
    });
    void bcall([1], (x) => x, { batchSize: 1, shouldRetry: (_error, attempt) => attempt < 2 });
  });

  it('accepts async iterables', () => {
    async function* gen() {
      yield 1;
    }
    expectTypeOf(alcall(gen(), (x) => x + 1)).toEqualTypeOf<Promise<number[]>>();
  });

  it('bcall yields batches of results', () => {
    expectTypeOf(bcall([1, 2], (x) => String(x), { batchSize: 1 })).toEqualTypeOf<AsyncGenerator<string[], void, undefined>>();
  });

  it('a typo next to valid keys does not compile, in alcall, bcall and the Params classes', () => {
    const f = (url: string) => url.length;
    const urls = ['a'];
    // @ts-expect-error -- 'maxConcurency' is not an option (next to a valid one)
    void alcall(urls, f, { maxConcurency: 2, numRetries: 3 });
    // @ts-expect-error -- 'retries' is p-retry's name, not lf's
    void alcall(urls, f, { retries: 3 });
    // @ts-expect-error -- a typo in bcall's options
    void bcall(urls, f, { batchSize: 2, maxConcurency: 2 });
    // @ts-expect-error -- a typo in ALCallParams
    new ALCallParams({ maxConcurency: 2, numRetries: 1 });
    // @ts-expect-error -- a typo in BCallParams
    new BCallParams({ batchSize: 1, throttlePeriodd: 2 });
    void alcall(urls, f, { maxConcurrent: 2, numRetries: 3 });
  });

  it('bcall and sanitizeInput alcall hand fn the flattened element, not the nested one', () => {
    void bcall(
      [
        [1, 2],
        [3, 4],
      ],
      (item) => {
        expectTypeOf(item).toEqualTypeOf<number>();
        return item;
      },
      { batchSize: 2 },
    );
    void alcall(
      [[1, null], [2]],
      (item) => {
        expectTypeOf(item).toEqualTypeOf<number>();
        return item;
      },
      { sanitizeInput: true },
    );
    void alcall([[1], [2]], (item) => {
      expectTypeOf(item).toEqualTypeOf<number[]>();
      return item;
    });
  });

  it('options typed as the wide ALCallOptions give unknown[]', () => {
    const options: ALCallOptions = { maxConcurrent: 2 };
    expectTypeOf(alcall([1], (x) => x, options)).toEqualTypeOf<Promise<unknown[]>>();
  });

  it('settle: true resolves settled records, with retryTiming of [result, ms]', () => {
    expectTypeOf(alcall([1], async (x) => String(x), { settle: true })).toEqualTypeOf<Promise<SettledResult<string>[]>>();
    expectTypeOf(alcall([1], (x) => x, { settle: true, retryTiming: true })).toEqualTypeOf<Promise<SettledResult<[number, number]>[]>>();
  });

  it('cost receives the item type', () => {
    void alcall(['a'], (x) => x, {
      rateLimiter: { acquire: () => Promise.resolve() },
      cost: (item, index) => {
        expectTypeOf(item).toEqualTypeOf<string>();
        expectTypeOf(index).toEqualTypeOf<number>();
        return item.length;
      },
    });
  });

  it('alcallIter yields the element type, and refuses typos', () => {
    expectTypeOf(alcallIter([1, 2], async (x) => String(x))).toEqualTypeOf<AsyncGenerator<string, void, undefined>>();
    expectTypeOf(alcallIter([1], (x) => x, { settle: true, ordered: false })).toEqualTypeOf<
      AsyncGenerator<SettledResult<number>, void, undefined>
    >();
    // @ts-expect-error -- 'orderd' is not an option
    void alcallIter([1], (x) => x, { orderd: false, maxConcurrent: 2 });
  });
});
