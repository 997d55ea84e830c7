import { checkFunction } from '@lf/scope/internal';
import type { RetryOptions } from './options.js';
import { readRetryOptions } from './retry.js';

/**
 * Wraps `fn` so that every call of the returned function is retried with
 * `options` (read and validated once, here: changing the object later changes nothing). The wrapper takes exactly `fn`'s
 * parameters, forwards `this`, and always returns a promise.
 *
 * `fn` does not receive the attempt number or an attempt signal, so it cannot
 * be told to stop: retry is structured and waits for each attempt, so a `retryTimeout`
 * counts a slow attempt as failed (a `TimeoutError`) only once it has
 * settled. When the work should be cancellable, use {@link retry} and pass
 * `ctx.signal` on yourself.
 *
 * @throws TypeError/RangeError, synchronously, when `fn` or an option is invalid.
 *
 * @example
 * ```ts
 * const getJson = withRetry(async (url: string) => {
 *   const res = await fetch(url);
 *   if (!res.ok) throw new Error(`HTTP ${res.status}`);
 *   return (await res.json()) as unknown;
 * }, { numRetries: 3, retryDelay: 100, backoffFactor: 2 });
 * const data = await getJson('/api/items'); // retried up to 3 times
 * ```
 *
 * @category Calls
 */
export function withRetry<A extends unknown[], R, D>(
  fn: (...args: A) => R | PromiseLike<R>,
  options: RetryOptions & { retryDefault: D; retryTiming: true },
): (...args: A) => Promise<[Awaited<R> | D, number]>;
export function withRetry<A extends unknown[], R>(
  fn: (...args: A) => R | PromiseLike<R>,
  options: RetryOptions & { retryTiming: true },
): (...args: A) => Promise<[Awaited<R>, number]>;
export function withRetry<A extends unknown[], R, D>(
  fn: (...args: A) => R | PromiseLike<R>,
  options: RetryOptions & { retryDefault: D; retryTiming?: false },
): (...args: A) => Promise<Awaited<R> | D>;
export function withRetry<A extends unknown[], R>(
  fn: (...args: A) => R | PromiseLike<R>,
  options?: RetryOptions & { retryDefault?: never; retryTiming?: false },
): (...args: A) => Promise<Awaited<R>>;
export function withRetry<A extends unknown[]>(fn: (...args: A) => unknown, options?: RetryOptions): (...args: A) => Promise<unknown>;
export function withRetry<A extends unknown[]>(fn: (...args: A) => unknown, options?: RetryOptions): (...args: A) => Promise<unknown> {
  checkFunction(fn, 'fn');
  const { plan, signal } = readRetryOptions('withRetry', options);
  // `fn` gets exactly its caller's arguments: an extra `{ attempt, signal }`
  // argument would collide with its optional parameters.
  return function retried(this: unknown, ...args: A): Promise<unknown> {
    return plan.run(() => fn.apply(this, args), signal);
  };
}
