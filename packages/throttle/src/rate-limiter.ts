import { parseCost, parseLimits } from './limits.js';
import type { Cost, RateLimit } from './limits.js';
import { LogLimiter } from './log-limiter.js';

/**
 * Options of {@link RateLimiter}: one limit, or several named ones granted
 * together.
 *
 * @example
 * ```ts
 * const api = new RateLimiter({ limit: 100, interval: 60_000 }); // 100 calls per minute
 * // An LLM API: 500 requests AND 200k tokens per minute, a call granted only when both have room.
 * const llm = new RateLimiter({
 *   limits: { requests: { limit: 500, interval: 60_000 }, tokens: { limit: 200_000, interval: 60_000 } },
 * });
 * ```
 *
 * @category Limits
 */
export type RateLimiterOptions = RateLimit | { limits: Readonly<Record<string, RateLimit>> };

/**
 * Options of {@link RateLimiter.acquire} and {@link RateLimiter.call}.
 *
 * @example
 * ```ts
 * // Wait at most 1 s for room; this call counts 1200 tokens (and 1 request).
 * const grant = await llm.acquire({ signal: AbortSignal.timeout(1000), cost: { tokens: 1200 } });
 * ```
 *
 * @category Limits
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
 * // Each call's cost from its arguments: about one token per 4 characters of the prompt.
 * const complete = llm.wrap((prompt: string) => chat(prompt), {
 *   cost: (prompt) => ({ tokens: Math.ceil(prompt.length / 4) }),
 * });
 * ```
 *
 * @category Limits
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
 * blocked, and across `pause`. A request is released as soon as every
 * limit's window has room for its cost; a late release is late, never a
 * burst, and never shifts the releases after it. A window is the half-open
 * `[s, s + interval)`: two releases exactly `interval` apart are not in one
 * window.
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
 *
 * @category Limits
 */
export class RateLimiter extends LogLimiter {
  // How (LogLimiter): a sliding log of the real release times (and costs) of
  // each limit. A request is released at once when every window has room;
  // otherwise one timer is armed for the moment the window frees, and when it
  // fires the clock is read again. So a late timer releases late and its
  // lateness shifts no schedule: there is none, only the log of what happened.
  /**
   * @throws TypeError when `options` is not an object, names an unknown option,
   * gives both or neither of `{ limit, interval }` and `limits`, or a value is not
   * a number; RangeError when a `limit` or `interval` is not finite and > 0.
   */
  constructor(options: RateLimiterOptions) {
    super(parseLimits('RateLimiter', options), parseCost);
  }
}
