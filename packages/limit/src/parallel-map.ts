import { checkFunction } from '@lf/scope/internal';
import { checkLimit, readSignalOptions, type SignalOptions } from './signal-options.js';
import { checkItems, runMap, type MapContext } from './map/map-concurrent.js';

/**
 * Python's `parallel_map`: applies `fn` to every item with at most
 * `maxConcurrency` calls running, and resolves the results in input order.
 *
 * `fn(item, index, { signal })`. On the first failure it starts nothing new,
 * aborts the signal handed to running calls (with a `CancelledError` whose
 * `cause` is the failure), waits for them to settle, then rejects with that
 * first error itself. Aborting `signal` starts nothing new, aborts running
 * calls, waits for them, then rejects with `signal.reason`. Arrays are read by index; other iterables and async
 * iterables are read lazily (never more than `maxConcurrency` items ahead).
 * A thin wrapper over `mapConcurrent` (the engine in `@lf/limit/internal`).
 *
 * @param maxConcurrency - integer >= 1 or `Infinity`; default 10.
 * @throws TypeError / RangeError (synchronously) for a bad `fn`, `items`,
 *   `maxConcurrency` or `signal`.
 * @example
 * ```ts
 * const doubled = await parallelMap(async (n) => {
 *   await sleep(100);
 *   return n * 2;
 * }, [1, 2, 3, 4, 5], 3); // [2, 4, 6, 8, 10]
 * ```
 * @category Limits
 */
export function parallelMap<T, R>(
  fn: (item: T, index: number, ctx: MapContext) => R | PromiseLike<R>,
  items: Iterable<T> | AsyncIterable<T>,
  maxConcurrency = 10,
  options?: SignalOptions,
): Promise<R[]> {
  checkFunction(fn, 'fn');
  checkItems(items);
  checkLimit(maxConcurrency, 'maxConcurrency');
  const signal = readSignalOptions('parallelMap', options);
  return runMap(items, fn, maxConcurrency, signal, true, undefined);
}
