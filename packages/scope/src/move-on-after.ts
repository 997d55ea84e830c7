import { CancelScope } from './cancel-scope.js';
import { checkFunction, checkNumber, checkOptions } from './validate.js';

/**
 * Runs `fn(scope)` in a {@link CancelScope} that cancels itself after `ms`
 * milliseconds (anyio's `move_on_after`). Resolves the body's value, or
 * `undefined` when the time ran out and the body failed with that
 * cancellation (check `scope.cancelledCaught` inside, or the result).
 * An abort of the parent `signal` and every other error propagate.
 *
 * @throws TypeError / RangeError (synchronously) for a bad `ms`, `fn` or `signal`.
 *
 * @example
 * ```ts
 * const data = await moveOnAfter(2000, ({ signal }) => fetch(url, { signal }).then((r) => r.json()));
 * if (data === undefined) console.log('no answer in 2 s, moving on');
 * ```
 */
export function moveOnAfter<T>(
  ms: number,
  fn: (scope: CancelScope) => T | PromiseLike<T>,
  options?: { signal?: AbortSignal | undefined },
): Promise<T | undefined> {
  checkNumber(ms, 'ms', { min: 0, allowInfinity: true });
  checkFunction(fn, 'fn');
  checkOptions(options);
  return new CancelScope({ timeout: ms, signal: options?.signal }).run(fn);
}
