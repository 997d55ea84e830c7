/**
 * Raised (or used as an abort reason) when work is cancelled on purpose:
 * `CancelScope.cancel()` with no reason, a task group cancelling its children.
 *
 * @example
 * ```ts
 * const scope = new CancelScope();
 * scope.cancel();
 * scope.signal.reason instanceof CancelledError; // true
 * ```
 */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'The operation was cancelled', options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * Raised when a deadline passes: `failAfter`, a `CancelScope` timeout, a
 * per-attempt `retryTimeout`.
 *
 * @example
 * ```ts
 * try {
 *   await failAfter(100, ({ signal }) => fetch(url, { signal }));
 * } catch (error) {
 *   if (error instanceof TimeoutError) console.log('too slow');
 * }
 * ```
 */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(message = 'The operation timed out', options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * True for the errors that mean "this was cancelled" rather than "this broke":
 * our `CancelledError`, and any error named `AbortError` (what `fetch` and
 * `AbortSignal.abort()` produce).
 *
 * @example
 * ```ts
 * isCancellation(new CancelledError()); // true
 * isCancellation(new DOMException('stop', 'AbortError')); // true
 * isCancellation(new Error('boom')); // false
 * ```
 */
export function isCancellation(error: unknown): boolean {
  return error instanceof CancelledError || (error instanceof Error && error.name === 'AbortError') ||
    (typeof DOMException !== 'undefined' && error instanceof DOMException && error.name === 'AbortError');
}
