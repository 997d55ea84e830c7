/**
 * Raised (or used as an abort reason) when work is cancelled on purpose:
 * `CancelScope.cancel()` with no reason, a task group cancelling its children.
 *
 * @example
 * ```ts
 * const scope = new CancelScope();
 * setTimeout(() => scope.cancel(), 100);
 * try {
 *   await sleep(1000, { signal: scope.signal });
 * } catch (error) {
 *   if (!(error instanceof CancelledError)) throw error; // a real failure
 *   // cancelled on purpose: nothing to report
 * }
 * ```
 *
 * @category Cancellation
 */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'The operation was cancelled', options?: ErrorOptions) {
    super(message, options);
    // On the prototype, put there by the first construction rather than at
    // load time: a module with no top-level side effect, so a bundle that
    // never uses the class leaves it out.
    Object.defineProperty(CancelledError.prototype, CANCELLED_BRAND, { value: true });
  }
}

/**
 * The brand every copy of lf puts on `CancelledError.prototype`: a registered
 * symbol is the same in the ESM and the CJS build (and across realms), where
 * `instanceof` sees two unrelated classes.
 */
const CANCELLED_BRAND = /* @__PURE__ */ Symbol.for('@lf/scope.CancelledError');

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
 *
 * @category Cancellation
 */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(message = 'The operation timed out', options?: ErrorOptions) {
    super(message, options);
  }
}

/** An Error (of this realm) or a DOMException, as `fetch` and `AbortSignal` make. */
function isErrorObject(error: unknown): error is Error {
  return error instanceof Error || (typeof DOMException !== 'undefined' && error instanceof DOMException);
}

/**
 * True for the errors that mean "this was cancelled" rather than "this broke":
 * a `CancelledError` made by any copy of lf (the ESM and the CJS build loaded
 * side by side both count), and any error named `AbortError` (what `fetch`
 * and `AbortSignal.abort()` produce). The one definition of "cancellation"
 * every lf package uses.
 *
 * @example
 * ```ts
 * try {
 *   await fetch(url, { signal });
 * } catch (error) {
 *   // The caller stopped us: not a failure to log.
 *   if (!isCancellation(error)) console.error('download failed', error);
 * }
 * ```
 *
 * @category Cancellation
 */
export function isCancellation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  // The brand, not `instanceof`: the ESM and the CJS build (or two realms) hold two unrelated classes.
  if ((error as { [CANCELLED_BRAND]?: unknown })[CANCELLED_BRAND] === true) return true;
  return isErrorObject(error) && error.name === 'AbortError';
}

/**
 * True for what a body throws when a signal it used was aborted on purpose or
 * by a deadline: a cancellation ({@link isCancellation}) or an error named
 * `TimeoutError` (lf's, or the DOMException of `AbortSignal.timeout()`).
 * CancelScope and TaskGroup use it to tell "stopped because we asked" from
 * "broke" (internal: `@lf/scope/internal`).
 *
 * @example
 * ```ts
 * isCancellationOrTimeout(new TimeoutError()); // true
 * isCancellationOrTimeout(new Error('boom')); // false
 * ```
 */
export function isCancellationOrTimeout(error: unknown): boolean {
  return isCancellation(error) || (isErrorObject(error) && error.name === 'TimeoutError');
}
