import { describe, expectTypeOf, it } from 'vitest';
import { retry } from './retry.js';
import { withRetry } from './with-retry.js';
import type { RetryContext, RetryOptions } from './options.js';
import { NonRetryableError } from './errors.js';

describe('retry types', () => {
  it('resolves the awaited result of fn, and gives fn { attempt, signal }', () => {
    expectTypeOf(retry(async () => 1)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(retry(() => 'sync', { numRetries: 2 })).toEqualTypeOf<Promise<string>>();
    void retry((ctx) => {
      expectTypeOf(ctx).toEqualTypeOf<RetryContext>();
      expectTypeOf(ctx.attempt).toBeNumber();
      expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
    });
  });

  it('types retryTiming: true as [value, elapsedMs]', () => {
    expectTypeOf(retry(async () => 1, { retryTiming: true })).toEqualTypeOf<Promise<[number, number]>>();
    expectTypeOf(retry(() => 'x', { retryTiming: false })).toEqualTypeOf<Promise<string>>();
  });

  it('widens the result with the type of retryDefault', () => {
    expectTypeOf(retry(async () => 1, { retryDefault: null })).toEqualTypeOf<Promise<number | null>>();
    expectTypeOf(retry(async () => 1, { retryDefault: undefined })).toEqualTypeOf<Promise<number | undefined>>();
    expectTypeOf(retry(async () => 1, { retryDefault: 'none', retryTiming: true })).toEqualTypeOf<Promise<[number | string, number]>>();
  });

  it('falls back to Promise<unknown> for an options value of the general RetryOptions type', () => {
    const options: RetryOptions = { numRetries: 1 };
    expectTypeOf(retry(async () => 1, options)).toEqualTypeOf<Promise<unknown>>();
  });

  it('rejects unknown or mistyped options', () => {
    // @ts-expect-error numRetry is not an option
    void retry(() => 1, { numRetry: 3 });
    // @ts-expect-error jitter must be one of the known modes
    void retry(() => 1, { jitter: 'random' });
    // @ts-expect-error fn must be a function
    void retry(1);
  });

  it("does not compile p-retry's `retries`, nor a typo next to valid keys", () => {
    // @ts-expect-error retries is p-retry's name: numRetries
    void retry(() => 1, { retries: 3 });
    // @ts-expect-error retryDelya is a typo next to valid keys
    void retry(() => 1, { numRetries: 3, retryDelya: 100 });
    // @ts-expect-error a typo next to retryDefault (the generic overloads)
    void retry(() => 1, { retryDefault: null, numRetires: 2 });
    // @ts-expect-error a typo next to retryTiming: true
    void retry(() => 1, { retryTiming: true, maxDelays: 5 });
    // @ts-expect-error a typo next to both
    void retry(() => 1, { retryTiming: true, retryDefault: 0, signl: undefined });
    // @ts-expect-error withRetry: a typo next to valid keys
    void withRetry((n: number) => n, { numRetries: 1, backofFactor: 2 });
    // @ts-expect-error withRetry with retryDefault: a typo
    void withRetry((n: number) => n, { retryDefault: null, jiter: 'full' });
    // the valid keys alone compile
    void retry(() => 1, { numRetries: 3, retryDelay: 100, backoffFactor: 2, maxDelay: 1000, jitter: 'full', retryTimeout: 50 });
    void withRetry((n: number) => n, { numRetries: 1, retryDefault: null, retryTiming: true });
  });

  it('types shouldRetry and onRetry callbacks', () => {
    void retry(() => 1, {
      shouldRetry: (error, attempt) => {
        expectTypeOf(error).toBeUnknown();
        expectTypeOf(attempt).toBeNumber();
        return Promise.resolve(true);
      },
      onRetry: (error, attempt, delayMs) => {
        expectTypeOf(error).toBeUnknown();
        expectTypeOf(attempt).toBeNumber();
        expectTypeOf(delayMs).toBeNumber();
      },
    });
  });
});

describe('retryAfter, maxRetryTime and NonRetryableError types', () => {
  it('types retryAfter as (error, attempt) => number | undefined and maxRetryTime as a number', () => {
    void retry(() => 1, {
      numRetries: 2,
      retryAfter: (error, attempt) => {
        expectTypeOf(error).toBeUnknown();
        expectTypeOf(attempt).toBeNumber();
        return attempt > 1 ? 1000 : undefined;
      },
      maxRetryTime: 30_000,
    });
    // @ts-expect-error retryAfter returns a number of ms, not a string
    void retry(() => 1, { retryAfter: () => '5' });
    // @ts-expect-error maxRetryTime is a number of ms
    void retry(() => 1, { maxRetryTime: '30s' });
  });

  it('NonRetryableError takes an optional message and { cause }', () => {
    expectTypeOf(new NonRetryableError()).toExtend<Error>();
    expectTypeOf(new NonRetryableError('x', { cause: 404 }).name).toBeString();
    // @ts-expect-error the message is a string
    new NonRetryableError(42);
  });
});

describe('withRetry types', () => {
  it("keeps fn's parameters and returns a promise of the awaited result", () => {
    const wrapped = withRetry(async (url: string, init?: { method: string }) => ({ url, init }));
    expectTypeOf(wrapped).toEqualTypeOf<
      (url: string, init?: { method: string }) => Promise<{ url: string; init: { method: string } | undefined }>
    >();
    expectTypeOf(withRetry((a: number, b: number) => a + b, { numRetries: 2 })).toEqualTypeOf<(a: number, b: number) => Promise<number>>();
  });

  it('applies the retryTiming and retryDefault result types', () => {
    expectTypeOf(withRetry((n: number) => n, { retryTiming: true })).toEqualTypeOf<(n: number) => Promise<[number, number]>>();
    expectTypeOf(withRetry((n: number) => n, { retryDefault: null })).toEqualTypeOf<(n: number) => Promise<number | null>>();
  });

  it('rejects calls with the wrong arguments', () => {
    const wrapped = withRetry((n: number) => n);
    // @ts-expect-error n must be a number
    void wrapped('1');
  });
});
