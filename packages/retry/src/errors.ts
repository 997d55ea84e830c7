/**
 * The brand every copy of `@lf/retry` puts on `NonRetryableError.prototype`,
 * so an error made by another copy (the CJS build next to the ESM one) is
 * recognised too.
 */
const NON_RETRYABLE_BRAND = /* @__PURE__ */ Symbol.for('@lf/retry.NonRetryableError');

/**
 * Throw (or reject with) it from an attempt to stop retrying at once: `retry`
 * makes no further attempt, asks no `shouldRetry`, and rejects with this very
 * error (or resolves `retryDefault` when that key is present). Wrap the real
 * failure as its `cause`. p-retry's `AbortError`.
 *
 * @example
 * ```ts
 * const res = await retry(async ({ signal }) => {
 *   const r = await fetch('https://example.com/api', { signal });
 *   if (r.status === 404) throw new NonRetryableError('no such item', { cause: r.status });
 *   if (!r.ok) throw new Error(`HTTP ${r.status}`); // retried
 *   return r;
 * }, { numRetries: 3 });
 * ```
 *
 * @category Calls
 */
export class NonRetryableError extends Error {
  override readonly name = 'NonRetryableError';
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    // On the prototype, put there by the first construction rather than at
    // load time: no top-level side effect, so a bundle that never uses the
    // class leaves it out.
    Object.defineProperty(NonRetryableError.prototype, NON_RETRYABLE_BRAND, { value: true });
  }
}

/** True for a `NonRetryableError` made by any copy of `@lf/retry` (internal). */
export function isNonRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { [NON_RETRYABLE_BRAND]?: unknown })[NON_RETRYABLE_BRAND] === true;
}
