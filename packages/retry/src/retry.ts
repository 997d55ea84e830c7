import { TimeoutError, now, sleep } from '@lf/scope';
import { checkFunction, isThenable, linkedController, raceSignal, setTimer } from '@lf/scope/internal';
import { createDelayer } from './backoff.js';
import { toPlan } from './options.js';
import type { RetryContext, RetryOptions, RetryPlan } from './options.js';

/**
 * The context of an attempt with no timeout and no caller signal: its signal
 * never aborts and is made only if `fn` reads it — one per attempt, so
 * concurrent retries never pile listeners onto one shared signal.
 */
class IdleAttempt implements RetryContext {
  #signal: AbortSignal | undefined;
  constructor(readonly attempt: number) {}
  get signal(): AbortSignal {
    return (this.#signal ??= new AbortController().signal);
  }
}

/** Like `signal.throwIfAborted()`, which some AbortSignal shims lack. */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw signal.reason;
}


/**
 * Calls `fn` with `{ attempt, signal }` until it succeeds or every attempt has
 * failed (attempt numbers start at 1). See {@link RetryOptions}.
 *
 * - After the last failure: resolves `retryDefault` when that key is present,
 *   otherwise rejects with the last error itself (the same object, unwrapped).
 * - `retryTiming: true` resolves `[value, elapsedMs]` (also with `retryDefault`).
 * - An abort of `signal` is never retried: it rejects promptly with
 *   `signal.reason`, during an attempt or a wait, and leaves no timer or listener.
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
  return runRetry(fn, toPlan(options));
}

/** The retry loop on validated options (internal: shared by `retry` and `withRetry`). */
export async function runRetry(fn: (ctx: RetryContext) => unknown, plan: RetryPlan): Promise<unknown> {
  const { signal } = plan;
  const start = plan.timing ? now() : 0;
  let nextDelay: (() => number) | undefined;
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(signal);
    try {
      const value = await runAttempt(fn, attempt, plan);
      return plan.timing ? [value, now() - start] : value;
    } catch (error) {
      throwIfAborted(signal); // an abort is never retried
      const retryLeft = attempt <= plan.retries;
      if (!retryLeft && !plan.hasDefault) throw error;
      if (plan.shouldRetry !== undefined) {
        let verdict: unknown = plan.shouldRetry(error, attempt);
        if (isThenable(verdict)) verdict = await raceSignal(verdict, signal);
        if (!verdict) throw error;
      }
      if (!retryLeft) return plan.timing ? [plan.fallback, now() - start] : plan.fallback;
      nextDelay ??= createDelayer(plan);
      const delay = nextDelay();
      if (plan.onRetry !== undefined) {
        const done: unknown = plan.onRetry(error, attempt, delay);
        if (isThenable(done)) await raceSignal(done, signal);
      }
      if (delay > 0) await sleep(delay, { signal });
    }
  }
}

/** One call of `fn`; returns its value or a promise of it (sync throws propagate to the caller's try). */
function runAttempt(fn: (ctx: RetryContext) => unknown, attempt: number, plan: RetryPlan): unknown {
  const { signal } = plan;
  if (plan.timeout !== Infinity) return runTimedAttempt(fn, attempt, plan.timeout, signal);
  if (signal === undefined) return fn(new IdleAttempt(attempt));
  const result = fn({ attempt, signal });
  return isThenable(result) ? raceSignal(result, signal) : result;
}

async function runTimedAttempt(
  fn: (ctx: RetryContext) => unknown,
  attempt: number,
  timeout: number,
  parent: AbortSignal | undefined,
): Promise<unknown> {
  const controller = linkedController(parent);
  const cancelTimer = setTimer(timeout, () => {
    controller.abort(new TimeoutError(`Attempt ${attempt} timed out after ${timeout} ms (retryTimeout)`));
  });
  try {
    const result = fn({ attempt, signal: controller.signal });
    // raceSignal fails the attempt the moment the signal aborts and swallows a late settlement.
    return isThenable(result) ? await raceSignal(result, controller.signal) : result;
  } finally {
    cancelTimer();
    controller.dispose();
  }
}
