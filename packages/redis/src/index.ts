export { RedisRateLimiter } from './redis-rate-limiter.js';
export type { RedisRateLimiterOptions, RedisAcquireOptions, RedisWrapOptions } from './redis-rate-limiter.js';
export type { RedisOptions } from './redis-options.js';
export { fromIoredis, fromNodeRedis } from './adapters.js';
export type { RedisScripts, IoredisLike, NodeRedisLike } from './adapters.js';
export { RedisUnavailableError } from './errors.js';
export type { Cost, RateLimit, Grant } from '@lf/throttle';
