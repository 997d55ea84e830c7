import { checkNumber } from '@lf/scope/internal';
import { RateLimiter } from './rate-limiter.js';

/**
 * Spaces the releases of calls by at least `period` ms, on real time: exactly
 * `new RateLimiter({ limit: 1, interval: period })`, with the same `acquire`
 * / `call` / `wrap` / `pause`. No two releases (`grant.at`, read with
 * `performance.now()`) are closer than `period`, also after the event loop
 * was blocked: a late timer releases late, and the next release is a full
 * period after it (never a catch-up).
 *
 * @example
 * ```ts
 * const throttle = new Throttle(200); // at most 5 starts per second
 * for (const id of ids) await throttle.call(() => api.get(id));
 * const get = throttle.wrap(api.get); // or: a throttled function
 * ```
 *
 * @category Limits
 */
export class Throttle extends RateLimiter {
  /** Minimum ms between two releases. */
  readonly period: number;
  /** Always 1: one release per window. */
  readonly limit = 1;
  /** The window: `period`. */
  readonly interval: number;

  /** @throws TypeError when `period` is not a number; RangeError when it is not finite and > 0. */
  constructor(period: number) {
    checkNumber(period, 'period', { min: 0, exclusiveMin: true });
    super({ limit: 1, interval: period });
    this.period = period;
    this.interval = period;
  }
}
