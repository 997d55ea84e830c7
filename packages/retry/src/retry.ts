import { checkFunction, checkSignal, readOptions } from '@lf/scope/internal';
import { RETRY_OPTIONS_WITH_SIGNAL } from './options.js';
import type { RetryContext, RetryOptions } from './options.js';
import { retryRunner } from './prepare.js';
import type { PreparedRetry } from './prepare.js';

/**
 * Calls `fn` with `{ attempt, signal }` until it succeeds or every attempt has
 * failed (attempt numbers start at 1). See {@link RetryOptions}.
 *
 * - After the last failure: resolves `retryDefault` when that key is present,
 *   otherwise rejects with the last error itself (the same object, unwrapped).
 * - `retryTiming: true` resolves `[value, elapsedMs]` (also with `retryDefault`).
 * - Structured: on an abort of `signal` or a `retryTimeout`, the attempt's
 *   `signal` aborts and retry WAITS for the attempt to settle before it
 *   rejects or starts the next attempt. Attempts never overlap, and when
 *   retry settles nothing it started still runs (an attempt that ignores its
 *   signal delays the settle).
 * - An abort of `signal` is never retried: it rejects with `signal.reason`
 *   (at once during a wait or a callback), and leaves no timer or listener.
 * - Options are read once (own, inherited and getter properties); an unknown
 *   name is a TypeError with a suggestion (`retry: unknown option 'retries'
 *   (did you mean 'numRetries'?)`).
 *
 * @throws TypeError/RangeError, synchronously, when `fn` or an option is invalid.
 *
 * @example
 * ```ts
 * const user = await retry(
 *   async ({ signal }) => {
 *     const res = await fetch('/api/user', { signal });
 *     if (!res.ok) throw new Error(`HTTP ${res.status}`);
 *     return res.json();
 *   },
 *   { numRetries: 3, retryDelay: 200, backoffFactor: 2, jitter: 'full', retryTimeout: 5000 },
 * );
 * ```
 *
 * @category Calls
 */
export function retry<T, D>(
  fn: (ctx: RetryContext) => T | PromiseLike<T>,
  options: RetryOptions & { retryDefault: D; retryTiming: true },
): Promise<[Awaited<T> | D, number]>;
export function retry<T>(
  fn: (ctx: RetryContext) => T | PromiseLike<T>,
  options: RetryOptions & { retryTiming: true },
): Promise<[Awaited<T>, number]>;
export function retry<T, D>(
  fn: (ctx: RetryContext) => T | PromiseLike<T>,
  options: RetryOptions & { retryDefault: D; retryTiming?: false },
): Promise<Awaited<T> | D>;
export function retry<T>(
  fn: (ctx: RetryContext) => T | PromiseLike<T>,
  options?: RetryOptions & { retryDefault?: never; retryTiming?: false },
): Promise<Awaited<T>>;
export function retry(fn: (ctx: RetryContext) => unknown, options?: RetryOptions): Promise<unknown>;
export function retry(fn: (ctx: RetryContext) => unknown, options?: RetryOptions): Promise<unknown> {
  checkFunction(fn, 'fn');
  const { plan, signal } = readRetryOptions('retry', options);
  return plan.run(fn, signal);
}

/** Reads `retry`/`withRetry` options once: the prepared plan and the caller's signal (internal). */
export function readRetryOptions(fnName: string, options: unknown): { plan: Pick<PreparedRetry, 'run'>; signal: AbortSignal | undefined } {
  const { signal, ...rest } = readOptions(fnName, options, RETRY_OPTIONS_WITH_SIGNAL, ['retryDefault']);
  checkSignal(signal, `${fnName}: signal`);
  return { plan: retryRunner(fnName, rest), signal };
}
