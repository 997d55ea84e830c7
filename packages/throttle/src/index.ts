export { RateLimiter } from './rate-limiter.js';
export type { RateLimiterOptions, AcquireOptions, WrapOptions } from './rate-limiter.js';
export type { Cost, RateLimit, Grant } from './limits.js';
export { Throttle } from './throttle.js';
export { throttle } from './decorator.js';
export type { ThrottleDecorator, Throttled } from './decorator.js';
