import { CancelScope } from './cancel-scope.js';
import { readOptions } from './options.js';
import { checkFunction, checkNumber, checkSignal } from './validate.js';

const FAIL_AFTER_OPTIONS = ['signal'] as const;

/**
 * Runs `fn(scope)` in a {@link CancelScope} that cancels itself after `ms`
 * milliseconds, and rejects with that `TimeoutError` (the scope's
 * `signal.reason`) when the time runs out (anyio's `fail_after`).
 *
 * If the deadline fired, the call rejects with the `TimeoutError` even when
 * the body swallowed the abort and returned a value: `failAfter` gives a
 * value produced in time, or a `TimeoutError`. A body that fails with
 * another error after the deadline propagates that error. A manual
 * `scope.cancel(reason)` rejects with `reason`. An abort of the parent
 * `signal` (also one that happened before the call) rejects with the
 * parent's reason, after the body settles, even when the body returned a value.
 *
 * @throws TypeError / RangeError (synchronously) for a bad `ms`, `fn` or `signal`.
 *
 * @example
 * ```ts
 * try {
 *   const res = await failAfter(1000, ({ signal }) => fetch(url, { signal }));
 * } catch (error) {
 *   if (error instanceof TimeoutError) console.log('too slow');
 * }
 * ```
 *
 * @category Cancellation
 */
export function failAfter<T>(
  ms: number,
  fn: (scope: CancelScope) => T | PromiseLike<T>,
  options?: { signal?: AbortSignal | undefined },
): Promise<T> {
  checkNumber(ms, 'ms', { min: 0, allowInfinity: true });
  checkFunction(fn, 'fn');
  const signal = readOptions('failAfter', options, FAIL_AFTER_OPTIONS).signal;
  checkSignal(signal);
  const scope = new CancelScope({ timeout: ms, signal });
  return scope.run(fn).then((value) => {
    // The scope was cancelled before the body settled (its deadline, a manual
    // cancel, or the parent's abort, even one that happened before the call):
    // no value was produced in time, whatever the body returned.
    if (scope.signal.aborted) throw scope.signal.reason;
    return value as T;
  });
}
