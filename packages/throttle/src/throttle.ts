import { checkNumber } from '@lf/scope/internal';
import { RateLimiter } from './rate-limiter.js';

/**
 * Spaces the STARTS of calls by at least `period` ms: exactly
 * `new RateLimiter({ limit: 1, interval: period })`, with the same
 * `acquire` / `call` / `wrap`.
 *
 * Slots sit on an absolute grid (`next = max(now, previous + period)` on the
 * `performance.now()` clock): 1000 calls at 2 ms start over ~1998 ms, with no
 * drift from timer lateness. Waiters are served in FIFO order; an aborted
 * waiter gives its slot back.
 *
 * @example
 * ```ts
 * const throttle = new Throttle(200); // at most 5 starts per second
 * for (const id of ids) await throttle.call(() => api.get(id));
 * const get = throttle.wrap(api.get); // or: a throttled function
 * ```
 */
export class Throttle extends RateLimiter {
  /** Minimum ms between the starts of consecutive calls. */
  readonly period: number;

  /** @throws TypeError when `period` is not a number; RangeError when it is negative or not finite. */
  constructor(period: number) {
    checkNumber(period, 'period', { min: 0 });
    super({ limit: 1, interval: period });
    this.period = period;
  }
}
