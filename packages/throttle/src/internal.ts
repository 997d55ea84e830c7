/**
 * `@lf/throttle/internal`: what lf's own rate limiters share with
 * `RateLimiter` (today `@lf/redis`'s `RedisRateLimiter`): the parsing of the
 * limits and the validation of costs, so that every limiter accepts and
 * refuses exactly the same input with the same messages. Not part of the
 * public, semver-bound surface, and not re-exported by the umbrella.
 *
 * @internal
 * @packageDocumentation
 */
export { parseLimits, parseCost } from './limits.js';
export type { NamedLimit, NamedLimits, Cost, RateLimit, Grant } from './limits.js';
