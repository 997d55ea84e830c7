import { describe, expect, it, vi } from 'vitest';
import { retry } from './retry.js';
import { withRetry } from './with-retry.js';

const bad: [string, unknown, typeof TypeError | typeof RangeError, string][] = [
  ['options not an object', 5, TypeError, 'options'],
  ['options null', null, TypeError, 'options'],
  ['numRetries negative', { numRetries: -1 }, RangeError, 'numRetries'],
  ['numRetries fractional', { numRetries: 1.5 }, RangeError, 'numRetries'],
  ['numRetries NaN', { numRetries: Number.NaN }, RangeError, 'numRetries'],
  ['numRetries string', { numRetries: '3' }, TypeError, 'numRetries'],
  ['numRetries null', { numRetries: null }, TypeError, 'numRetries'],
  ['retryDelay negative', { retryDelay: -5 }, RangeError, 'retryDelay'],
  ['retryDelay NaN', { retryDelay: Number.NaN }, RangeError, 'retryDelay'],
  ['retryDelay Infinity', { retryDelay: Infinity }, RangeError, 'retryDelay'],
  ['maxDelay negative', { maxDelay: -1 }, RangeError, 'maxDelay'],
  ['maxDelay NaN', { maxDelay: Number.NaN }, RangeError, 'maxDelay'],
  ['backoffFactor negative', { backoffFactor: -2 }, RangeError, 'backoffFactor'],
  ['backoffFactor Infinity', { backoffFactor: Infinity }, RangeError, 'backoffFactor'],
  ['retryTimeout zero', { retryTimeout: 0 }, RangeError, 'retryTimeout'],
  ['retryTimeout negative', { retryTimeout: -10 }, RangeError, 'retryTimeout'],
  ['retryTimeout NaN', { retryTimeout: Number.NaN }, RangeError, 'retryTimeout'],
  ['jitter unknown', { jitter: 'random' }, RangeError, 'jitter'],
  ['jitter not a string', { jitter: true }, TypeError, 'jitter'],
  ['jitter null', { jitter: null }, TypeError, 'jitter'],
  ['shouldRetry not a function', { shouldRetry: true }, TypeError, 'shouldRetry'],
  ['onRetry not a function', { onRetry: 'log' }, TypeError, 'onRetry'],
  ['random not a function', { random: 0.5 }, TypeError, 'random'],
  ['signal not a signal', { signal: {} }, TypeError, 'signal'],
  ['signal null', { signal: null }, TypeError, 'signal'],
  ['retryTiming not a boolean', { retryTiming: 1 }, TypeError, 'retryTiming'],
];

const good: [string, unknown][] = [
  ['no options', undefined],
  ['empty options', {}],
  ['numRetries Infinity', { numRetries: Infinity }],
  ['maxDelay Infinity', { maxDelay: Infinity }],
  ['retryTimeout Infinity (no timeout)', { retryTimeout: Infinity }],
  ['explicit undefined values mean defaults', { numRetries: undefined, jitter: undefined, signal: undefined }],
  ['every jitter mode', { jitter: 'decorrelated' }],
  ['zeroes', { numRetries: 0, retryDelay: 0, backoffFactor: 0, maxDelay: 0 }],
  ['retryDefault of any value', { retryDefault: null }],
];

describe('retry options: what is rejected and what is accepted', () => {
  it.each(bad)('rejects %s with the right error type naming the option', (_, options, type, name) => {
    expect(() => retry(() => 1, options as never)).toThrow(type);
    expect(() => retry(() => 1, options as never)).toThrow(name);
  });

  it.each(good)('accepts %s', async (_, options) => {
    await expect(retry(() => 1, options as never)).resolves.toBe(1);
  });
});

describe('retry and withRetry validate before any work', () => {
  it.each(bad)('retry throws synchronously for %s without calling fn', (_, options, type) => {
    const fn = vi.fn();
    expect(() => retry(fn, options as never)).toThrow(type);
    expect(fn).not.toHaveBeenCalled();
  });

  it('retry throws a TypeError naming fn when fn is not a function', () => {
    expect(() => retry(42 as never)).toThrow(TypeError);
    expect(() => retry(42 as never)).toThrow(/fn/);
  });

  it('withRetry throws when wrapping, not when called', () => {
    const fn = vi.fn();
    expect(() => withRetry(fn, { numRetries: -1 })).toThrow(RangeError);
    expect(() => withRetry('nope' as never)).toThrow(/fn/);
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('retry and withRetry options are strict and read once', () => {
  it("rejects p-retry's `retries` with a TypeError suggesting numRetries, before any attempt", () => {
    const fn = vi.fn();
    expect(() => retry(fn, { retries: 3 } as never)).toThrow(new TypeError("retry: unknown option 'retries' (did you mean 'numRetries'?)"));
    expect(() => withRetry(fn, { numRetries: 1, retryDelya: 5 } as never)).toThrow(
      new TypeError("withRetry: unknown option 'retryDelya' (did you mean 'retryDelay'?)"),
    );
    expect(fn).not.toHaveBeenCalled();
  });

  it('names the function in every option message', () => {
    expect(() => retry(vi.fn(), { numRetries: -1 })).toThrow(new RangeError('retry: numRetries must be >= 0 (got -1)'));
    expect(() => withRetry(vi.fn(), { signal: {} as never })).toThrow(/^withRetry: signal must be an AbortSignal/);
  });

  it('honours a getter on a class instance (numRetries: 2 makes 3 attempts), calling it once', async () => {
    let reads = 0;
    class Config {
      get numRetries(): number {
        reads++;
        return 2;
      }
    }
    const fn = vi.fn(() => Promise.reject(new Error('x')));
    await expect(retry(fn, new Config())).rejects.toThrow('x');
    expect(fn).toHaveBeenCalledTimes(3);
    expect(reads).toBe(1);
    const wrapped = withRetry(fn, new Config());
    fn.mockClear();
    await expect(wrapped()).rejects.toThrow('x');
    await expect(wrapped()).rejects.toThrow('x');
    expect(fn).toHaveBeenCalledTimes(6);
    expect(reads).toBe(2);
  });

  it('honours inherited options', async () => {
    const fn = vi.fn(() => Promise.reject(new Error('x')));
    await expect(retry(fn, Object.create({ numRetries: 1 }) as never)).rejects.toThrow('x');
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('changing the options object after the call changes nothing', async () => {
    const options: { numRetries: number; retryDefault?: string } = { numRetries: 3 };
    let attempts = 0;
    const run = retry(() => {
      attempts++;
      options.numRetries = 0; // mid-run mutation
      options.retryDefault = 'not used';
      return Promise.reject(new Error('x'));
    }, options);
    await expect(run).rejects.toThrow('x');
    expect(attempts).toBe(4);
  });
});
