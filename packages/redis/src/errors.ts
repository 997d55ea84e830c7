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
 * @category Limits
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

/**
 * A `RedisLimiter` lease could not be kept: its renewal found it gone (it
 * expired, or Redis lost its state), or Redis stayed unavailable until the
 * lease was about to expire. The holder's `signal` aborts with it BEFORE the
 * lease can expire on the server, so that the holder stops before another
 * process may be granted its slot.
 *
 * @example
 * ```ts
 * await limiter.schedule(async ({ signal }) => {
 *   try {
 *     return await longJob({ signal });
 *   } catch (error) {
 *     if (signal.reason instanceof LeaseLostError) console.warn('stopped: the slot could not be kept');
 *     throw error;
 *   }
 * });
 * ```
 * @category Limits
 */
export class LeaseLostError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LeaseLostError';
  }
}
