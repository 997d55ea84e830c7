import { TimeoutError } from '@lf/scope';
import { describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '@lf/test-support';
import { withRetry } from './with-retry.js';

useFakeClock();

describe('withRetry', () => {
  it('passes the arguments through unchanged on every attempt and adds none', async () => {
    const fn = vi.fn((a: number, b?: string) => {
      if (fn.mock.calls.length < 2) throw new Error('flaky');
      return `${a}${b ?? ''}`;
    });
    const wrapped = withRetry(fn, { numRetries: 2 });
    await expect(wrapped(1, 'x')).resolves.toBe('1x');
    expect(fn.mock.calls).toEqual([
      [1, 'x'],
      [1, 'x'],
    ]);
  });

  it('returns a promise even for a sync fn', async () => {
    const wrapped = withRetry((n: number) => n * 2);
    const result = wrapped(21);
    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toBe(42);
  });

  it('forwards this, so it can wrap methods', async () => {
    const counter = {
      base: 10,
      add: withRetry(function (this: { base: number }, n: number) {
        return this.base + n;
      }),
    };
    await expect(counter.add(5)).resolves.toBe(15);
  });

  it('applies every option on each call: backoff, retryDefault, retryTiming', async () => {
    const fn = vi.fn(() => Promise.reject(new Error('down')));
    const wrapped = withRetry(fn, { numRetries: 2, retryDelay: 10, backoffFactor: 2, retryDefault: 'offline', retryTiming: true });
    const first = wrapped();
    await vi.advanceTimersByTimeAsync(30);
    await expect(first).resolves.toEqual(['offline', 30]);
    const second = wrapped();
    await vi.advanceTimersByTimeAsync(30);
    await expect(second).resolves.toEqual(['offline', 30]);
    expect(fn).toHaveBeenCalledTimes(6);
  });

  it('throws the last error itself when no retryDefault is set', async () => {
    const error = new Error('same object');
    await expect(withRetry(() => Promise.reject(error), { numRetries: 1 })()).rejects.toBe(error);
  });

  it('counts an attempt that outlived retryTimeout as failed with a TimeoutError, once it settled (fn cannot see a signal)', async () => {
    const wrapped = withRetry(() => new Promise((resolve) => setTimeout(resolve, 100)), { retryTimeout: 25 });
    let outcome: unknown;
    const result = wrapped().catch((error: unknown) => (outcome = error));
    await vi.advanceTimersByTimeAsync(99);
    expect(outcome).toBeUndefined(); // structured: the attempt still runs
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toBeInstanceOf(TimeoutError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('uses the options as they were when wrapped', async () => {
    const options = { numRetries: 0 };
    const fn = vi.fn(() => Promise.reject(new Error('x')));
    const wrapped = withRetry(fn, options);
    options.numRetries = 5;
    await expect(wrapped()).rejects.toThrow('x');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('rejects with the reason when its signal aborts', async () => {
    const controller = new AbortController();
    const wrapped = withRetry(() => Promise.reject(new Error('x')), { signal: controller.signal, numRetries: 3, retryDelay: 1000 });
    const result = wrapped().catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1);
    const reason = new Error('stop');
    controller.abort(reason);
    expect(await result).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });
});
