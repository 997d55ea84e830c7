import { parseCost, parseLimits } from './limits.js';
import type { Cost, RateLimit } from './limits.js';
import { LogLimiter } from './log-limiter.js';

/**
 * Options of {@link RateLimiter}: one limit, or several named ones granted
 * together.
 *
 * @example
 * ```ts
 * const one: RateLimiterOptions = { limit: 100, interval: 60_000 }; // 100 per minute
 * const llm: RateLimiterOptions = {
 *   limits: { requests: { limit: 500, interval: 60_000 }, tokens: { limit: 200_000, interval: 60_000 } },
 * };
 * ```
 */
export type RateLimiterOptions = RateLimit | { limits: Readonly<Record<string, RateLimit>> };

/**
 * Options of {@link RateLimiter.acquire} and {@link RateLimiter.call}.
 *
 * @example
 * ```ts
 * const options: AcquireOptions = { signal: AbortSignal.timeout(1000), cost: { tokens: 1200 } };
 * ```
 */
export interface AcquireOptions {
  /** Abort the wait: the call rejects with `signal.reason` and gives its place back. */
  signal?: AbortSignal | undefined;
  /** What the call counts against the limits (default 1; see {@link Cost}). */
  cost?: Cost | undefined;
}

/**
 * Options of {@link RateLimiter.wrap}.
 *
 * @example
 * ```ts
 * const options: WrapOptions<[string]> = { cost: (prompt) => Math.ceil(prompt.length / 4) };
 * ```
 */
export interface WrapOptions<A extends unknown[]> {
  /** The cost of one call, from its arguments (default 1 per call). */
  cost?: ((...args: A) => Cost) | undefined;
}

/**
 * A rate limiter whose guarantee holds on real time, as the server sees it:
 * for each limit, the costs of the calls released in ANY window of `interval`
 * ms sum to at most `limit`, measured with `performance.now()` at the moment
 * each `acquire` resolves (`grant.at`): also after the event loop was
 * blocked, and across `pause`.
 *
 * It keeps a sliding log of the real release times (and costs) of each limit.
 * A request is released as soon as every limit's window has room for its
 * cost, at once when it has; otherwise one timer is armed for the moment the
 * window frees, and when it fires the clock is read again: a late timer
 * releases late, never in a burst, and its lateness never shifts a schedule
 * (there is none: only the log of what really happened). A window is the
 * half-open `[s, s + interval)`: two releases exactly `interval` apart are
 * not in one window.
 *
 * Several named limits are granted atomically: all or none, and a waiting or
 * aborted request consumes nothing. Waiters are served in FIFO order whatever
 * their costs: a costly head makes cheaper ones wait, nobody starves. A timer
 * runs only while someone waits.
 *
 * @example
 * ```ts
 * const limiter = new RateLimiter({ limit: 10, interval: 1000 }); // 10 per second
 * const get = limiter.wrap((url: string) => fetch(url));
 * const pages = await Promise.all(urls.map((url) => get(url)));
 * ```
 */
export class RateLimiter extends LogLimiter {
  /**
   * @throws TypeError when `options` is not an object, names an unknown option,
   * gives both or neither of `{ limit, interval }` and `limits`, or a value is not
   * a number; RangeError when a `limit` or `interval` is not finite and > 0.
   */
  constructor(options: RateLimiterOptions) {
    super(parseLimits('RateLimiter', options), parseCost);
  }

  /**
   * `Throttle` is a `RateLimiter` (`new Throttle(100) instanceof RateLimiter`)
   * without extending this class at run time: both extend the same machinery,
   * so a bundle that only uses `Throttle` leaves out the parsing of named limits.
   * A subclass of `RateLimiter` keeps the ordinary `instanceof`.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === RateLimiter ? value instanceof LogLimiter : super[Symbol.hasInstance](value);
  }
}
