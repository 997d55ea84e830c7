import { readOptions } from '@lf/scope/internal';
import { RETRY_OPTIONS_WITH_SIGNAL, toPlan } from './options.js';
import type { RetryOptions, RetryPlan } from './options.js';

/** `lo + r * (hi - lo)` that stays finite-safe: `r = 0` gives `lo` even when `hi` is Infinity. */
function between(lo: number, hi: number, r: number): number {
  return r === 0 || hi <= lo ? lo : lo + r * (hi - lo);
}

/**
 * Returns a function giving the wait before retry 1, 2, 3, ... in turn
 * (internal; `retry` creates one only after a first failure).
 */
export function createDelayer(plan: RetryPlan): () => number {
  const { delay, factor, maxDelay, random, jitter } = plan;
  let raw = delay;
  if (jitter === 'decorrelated') {
    const growth = 3 * factor;
    // `raw` is the previous wait here.
    return () => (raw = Math.min(maxDelay, between(delay, raw * growth, random())));
  }
  return () => {
    const d = Math.min(raw, maxDelay);
    raw *= factor;
    return jitter === 'none' ? d : between(jitter === 'full' ? 0 : d / 2, d, random());
  };
}

/**
 * The waits `retry` would make with these options if every attempt failed:
 * one per retry, so `numRetries` values (an endless iterator when
 * `numRetries` is `Infinity`). Uses `retryDelay`, `backoffFactor`,
 * `maxDelay`, `jitter` and `random`; validates all options like `retry`
 * (an unknown name is a TypeError).
 *
 * @throws TypeError/RangeError naming a bad option, at once.
 *
 * @example
 * ```ts
 * [...backoffDelays({ numRetries: 4, retryDelay: 100, backoffFactor: 2, maxDelay: 500 })];
 * // [100, 200, 400, 500]
 * ```
 */
export function backoffDelays(options?: RetryOptions): IterableIterator<number> {
  const plan = toPlan('backoffDelays', readOptions('backoffDelays', options, RETRY_OPTIONS_WITH_SIGNAL, ['retryDefault']));
  return generate(createDelayer(plan), plan.retries);
}

function* generate(next: () => number, count: number): Generator<number, void, undefined> {
  for (let i = 0; i < count; i++) yield next();
}
