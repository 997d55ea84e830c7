import { describe, expectTypeOf, it } from 'vitest';
import { alcall, type CallContext } from './alcall.js';
import { bcall } from './bcall.js';

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
});
