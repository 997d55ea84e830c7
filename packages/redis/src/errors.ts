/**
 * Redis did not answer in time (`commandTimeout`) or a command failed: what
 * `acquire` rejects with under `onUnavailable: 'reject'` (the default). The
 * client's own error, when there is one, is the `cause`.
 *
 * @example
 * ```ts
 * try {
 *   await limiter.acquire();
 * } catch (error) {
 *   if (error instanceof RedisUnavailableError) return retryLater();
 *   throw error;
 * }
 * ```
 */
export class RedisUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RedisUnavailableError';
  }
}

/**
 * `error` as a {@link RedisUnavailableError} (itself when it is one, else
 * wrapped as the `cause`): what every lf Redis limiter rejects with when a
 * command fails under `onUnavailable: 'reject'`.
 *
 * @example
 * ```ts
 * runScript(redis, script, keys, args, timeout).catch((error: unknown) => reject(toUnavailable(error)));
 * ```
 */
export function toUnavailable(error: unknown): RedisUnavailableError {
  return error instanceof RedisUnavailableError ? error : new RedisUnavailableError('Redis failed', { cause: error });
}
