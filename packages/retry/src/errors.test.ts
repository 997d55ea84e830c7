import { describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '@lf/test-support';
import { NonRetryableError } from './errors.js';
import { retry } from './retry.js';
import { withRetry } from './with-retry.js';

useFakeClock();

describe('NonRetryableError', () => {
  it('is an Error named NonRetryableError that carries a cause', () => {
    const cause = new Error('HTTP 404');
    const error = new NonRetryableError('not found', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('NonRetryableError');
    expect(error.message).toBe('not found');
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe('NonRetryableError: not found');
    expect(new NonRetryableError().message).toBe('');
  });

  it('is never retried: retry rejects with that very error after one attempt', async () => {
    const fatal = new NonRetryableError('fatal');
    const fn = vi.fn(() => Promise.reject(fatal));
    await expect(retry(fn, { numRetries: 10, retryDelay: 100 })).rejects.toBe(fatal);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops a run that had been retrying (thrown synchronously on attempt 3)', async () => {
    const fatal = new NonRetryableError('gave up', { cause: 'bad input' });
    const seen: number[] = [];
    const run = retry(
      ({ attempt }) => {
        seen.push(attempt);
        if (attempt === 3) throw fatal;
        throw new Error(`transient ${attempt}`);
      },
      { numRetries: 10, retryDelay: 10 },
    );
    const settled = run.catch((error: unknown) => error);
    await vi.runAllTimersAsync();
    expect(await settled).toBe(fatal);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('resolves retryDefault when that key is present', async () => {
    await expect(retry(() => Promise.reject(new NonRetryableError()), { numRetries: 3, retryDefault: null })).resolves.toBeNull();
    await expect(retry(() => Promise.reject(new NonRetryableError()), { retryDefault: 'fallback', retryTiming: true })).resolves.toEqual([
      'fallback',
      expect.any(Number),
    ]);
  });

  it('asks neither shouldRetry nor onRetry', async () => {
    const shouldRetry = vi.fn(() => true);
    const onRetry = vi.fn();
    await expect(retry(() => Promise.reject(new NonRetryableError('x')), { numRetries: 3, shouldRetry, onRetry })).rejects.toThrow('x');
    expect(shouldRetry).not.toHaveBeenCalled();
    expect(onRetry).not.toHaveBeenCalled();
  });

  it('works through withRetry too', async () => {
    const fatal = new NonRetryableError('no');
    const fn = vi.fn(() => Promise.reject(fatal));
    await expect(withRetry(fn, { numRetries: 5 })()).rejects.toBe(fatal);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

// p-retry's AbortError cases, in lf's words (p-retry `test/index.js`: "aborts", "no retry on AbortError").
describe("port: p-retry's AbortError cases as NonRetryableError", () => {
  it('aborts on the second attempt: two attempts, rejects with the error thrown there', async () => {
    let index = 0;
    const fatal = new NonRetryableError('fixture', { cause: new Error('original') });
    const run = retry(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        index++;
        throw index === 2 ? fatal : new Error('transient');
      },
      { numRetries: 10 },
    );
    const settled = run.catch((error: unknown) => error);
    await vi.runAllTimersAsync();
    expect(await settled).toBe(fatal);
    expect((fatal.cause as Error).message).toBe('original');
    expect(index).toBe(2);
  });

  it('a NonRetryableError wrapping a non-Error cause keeps it as cause', async () => {
    const fatal = new NonRetryableError('wrapped', { cause: 'a string reason' });
    await expect(retry(() => Promise.reject(fatal), { numRetries: 2 })).rejects.toMatchObject({ cause: 'a string reason' });
  });

  it('a plain error named AbortError is not special: it is retried like any other', async () => {
    const named = new Error('named like p-retry');
    named.name = 'AbortError';
    const fn = vi.fn(() => Promise.reject(named));
    await expect(retry(fn, { numRetries: 2 })).rejects.toBe(named);
    expect(fn).toHaveBeenCalledTimes(3);
  });
});
