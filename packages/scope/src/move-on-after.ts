import { CancelScope } from './cancel-scope.js';
import { readOptions } from './options.js';
import { checkFunction, checkNumber, checkSignal } from './validate.js';

const MOVE_ON_AFTER_OPTIONS = ['signal'] as const;

/**
 * Runs `fn(scope)` in a {@link CancelScope} that cancels itself after `ms`
 * milliseconds (anyio's `move_on_after`). Resolves the body's value, or
 * `undefined` when the time ran out and the body failed with that
 * cancellation (check `scope.cancelledCaught` inside, or the result).
 * An abort of the parent `signal` (also one that happened before the call)
 * rejects with the parent's reason once the body settles, even when the body
 * returned a value; every other error propagates.
 *
 * @throws TypeError / RangeError (synchronously) for a bad `ms`, `fn` or `signal`.
 *
 * @example
 * ```ts
 * const data = await moveOnAfter(2000, ({ signal }) => fetch(url, { signal }).then((r) => r.json()));
 * if (data === undefined) console.log('no answer in 2 s, moving on');
 * ```
 *
 * @category Cancellation
 */
export function moveOnAfter<T>(
  ms: number,
  fn: (scope: CancelScope) => T | PromiseLike<T>,
  options?: { signal?: AbortSignal | undefined },
): Promise<T | undefined> {
  checkNumber(ms, 'ms', { min: 0, allowInfinity: true });
  checkFunction(fn, 'fn');
  const signal = readOptions('moveOnAfter', options, MOVE_ON_AFTER_OPTIONS).signal;
  checkSignal(signal);
  const scope = new CancelScope({ timeout: ms, signal });
  return scope.run(fn).then((value) => {
    // The parent aborted (not this scope's own deadline or cancel): that is
    // not "moving on", it propagates, even when the body returned a value.
    if (scope.signal.aborted && !scope.cancelCalled) throw scope.signal.reason;
    return value;
  });
}
