import { describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '@lf/test-support';
import { retry } from './retry.js';
import type { RetryOptions } from './options.js';

useFakeClock();

class HttpError extends Error {
  constructor(readonly retryAfterMs: number | undefined) {
    super('HTTP 429');
  }
}

/** The clock times at which the attempts of a retry that always fails with `error` started. */
async function attemptTimes(options: RetryOptions, error: (attempt: number) => unknown): Promise<number[]> {
  const times: number[] = [];
  const run = retry(({ attempt }) => {
    times.push(performance.now());
    throw error(attempt);
  }, options).catch(() => undefined);
  await vi.runAllTimersAsync();
  await run;
  return times;
}

const gaps = (times: number[]): number[] => times.slice(1).map((t, i) => t - times[i]!);

describe('retryAfter: a server hint for the wait', () => {
  it('waits max(backoff delay, hint): a longer hint wins, a shorter one leaves the backoff', async () => {
    const hints = [500, 10, undefined];
    const times = await attemptTimes(
      { numRetries: 3, retryDelay: 100, backoffFactor: 2, retryAfter: (e) => (e as HttpError).retryAfterMs },
      (attempt) => new HttpError(hints[attempt - 1]),
    );
    expect(gaps(times)).toEqual([500, 200, 400]);
  });

  it('is not capped by maxDelay (the backoff is)', async () => {
    const times = await attemptTimes(
      { numRetries: 2, retryDelay: 100, maxDelay: 50, retryAfter: (_e, attempt) => (attempt === 1 ? 1000 : undefined) },
      () => new HttpError(undefined),
    );
    expect(gaps(times)).toEqual([1000, 50]);
  });

  it('gets the error and the number of the attempt that failed, and onRetry reports the wait actually made', async () => {
    const retryAfter = vi.fn(() => 300);
    const onRetry = vi.fn();
    const error = new HttpError(300);
    await attemptTimes({ numRetries: 1, retryAfter, onRetry }, () => error);
    expect(retryAfter).toHaveBeenCalledWith(error, 1);
    expect(onRetry).toHaveBeenCalledWith(error, 1, 300);
  });

  it.each([
    ['NaN', Number.NaN],
    ['a negative number', -100],
    ['Infinity', Infinity],
    ['a string', '500'],
    ['null', null],
  ])('ignores a hint that is %s (the backoff delay alone is used)', async (_label, hint) => {
    const times = await attemptTimes({ numRetries: 1, retryDelay: 20, retryAfter: () => hint as never }, () => new Error('x'));
    expect(gaps(times)).toEqual([20]);
  });

  it('is not asked after the last attempt, nor for a NonRetryableError', async () => {
    const retryAfter = vi.fn(() => 10);
    await attemptTimes({ numRetries: 0, retryAfter }, () => new Error('x'));
    expect(retryAfter).not.toHaveBeenCalled();
  });

  it('rejects with the error retryAfter itself throws', async () => {
    const broken = new Error('cannot parse');
    await expect(
      retry(() => Promise.reject(new Error('x')), {
        numRetries: 2,
        retryAfter: () => {
          throw broken;
        },
      }),
    ).rejects.toBe(broken);
  });

  it('must be a function (TypeError naming it, before any attempt)', () => {
    const fn = vi.fn();
    expect(() => retry(fn, { retryAfter: 5 as never })).toThrow(new TypeError('retry: retryAfter must be a function (got number)'));
    expect(fn).not.toHaveBeenCalled();
  });
});
