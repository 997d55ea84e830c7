import { checkNumber, readOptions } from '@lf/scope/internal';
import type { RedisScripts } from './adapters.js';

/**
 * What every Redis-backed lf limiter takes besides its limits.
 *
 * @example
 * ```ts
 * const common: RedisOptions = { redis: fromIoredis(client), key: 'openai', commandTimeout: 500 };
 * ```
 * @category Limits
 */
export interface RedisOptions {
  /** The client, through {@link fromIoredis} or {@link fromNodeRedis}. */
  redis: RedisScripts;
  /**
   * The name every process sharing the limit uses. All keys live under the
   * hash tag `{key}` (one Cluster slot); `{` and `}` are not allowed in it.
   */
  key: string;
  /** Bound, in ms, on every Redis command, whatever the client's own retries. Default 1000. */
  commandTimeout?: number | undefined;
  /**
   * When Redis fails or does not answer within `commandTimeout`: `'reject'`
   * (default) rejects `acquire` with `RedisUnavailableError`; `'allow'` lets
   * the call through unlimited (fail-open).
   */
  onUnavailable?: 'reject' | 'allow' | undefined;
}

/**
 * The option names of {@link RedisOptions}, for `readOptions`.
 *
 * @example
 * ```ts
 * const o = readOptions('RedisLimiter', options, [...REDIS_OPTION_NAMES, 'limit', 'lease']);
 * ```
 */
export const REDIS_OPTION_NAMES = ['redis', 'key', 'commandTimeout', 'onUnavailable'] as const;

const DEFAULT_COMMAND_TIMEOUT = 1000;

/**
 * Validates the options every Redis-backed limiter shares (`redis`, `key`,
 * `commandTimeout`, `onUnavailable`) from a `readOptions` snapshot.
 *
 * @example
 * ```ts
 * const { redis, key, commandTimeout, onUnavailable } = checkRedisOptions('RedisRateLimiter', snapshot);
 * ```
 */
export function checkRedisOptions(fnName: string, o: Readonly<Partial<Record<(typeof REDIS_OPTION_NAMES)[number], unknown>>>) {
  const redis = o.redis as Partial<RedisScripts> | undefined;
  if (typeof redis?.evalsha !== 'function' || typeof redis.eval !== 'function') {
    throw new TypeError(`${fnName}: redis must be a RedisScripts (from fromIoredis(client) or fromNodeRedis(client))`);
  }
  const key = o.key;
  if (typeof key !== 'string') throw new TypeError(`${fnName}: key must be a string (got ${typeof key})`);
  if (key === '' || /[{}]/.test(key)) throw new RangeError(`${fnName}: key must be non-empty, without '{' or '}' (got '${key}')`);
  const commandTimeout =
    o.commandTimeout === undefined
      ? DEFAULT_COMMAND_TIMEOUT
      : checkNumber(o.commandTimeout, 'commandTimeout', { min: 0, exclusiveMin: true, allowInfinity: true });
  const onUnavailable = o.onUnavailable ?? 'reject';
  if (onUnavailable !== 'reject' && onUnavailable !== 'allow') {
    throw new TypeError(
      `${fnName}: onUnavailable must be 'reject' or 'allow' (got ${typeof onUnavailable === 'string' ? `'${onUnavailable}'` : typeof onUnavailable})`,
    );
  }
  return { redis: redis as RedisScripts, key, commandTimeout, onUnavailable };
}

/**
 * Reads a Redis-backed limiter's options once (`readOptions`: unknown names
 * are a TypeError with a suggestion) and validates the shared ones; `more`
 * are the limiter's own names, returned unchecked in `o`.
 *
 * @example
 * ```ts
 * const { o, redis, key, commandTimeout, onUnavailable } = readRedisOptions('RedisLimiter', options, ['limit', 'lease']);
 * ```
 */
export function readRedisOptions<K extends string>(fnName: string, options: unknown, more: readonly K[]) {
  if (options === undefined) throw new TypeError(`${fnName}: options must be an object (got undefined)`);
  const o = readOptions(fnName, options, [...REDIS_OPTION_NAMES, ...more]);
  return { o, ...checkRedisOptions(fnName, o) };
}
