import { checkBoolean, checkFunction, checkSignal, onAbort, readOptions } from '@lf/scope/internal';
import { promiseInto } from '../deferred.js';
import { checkLimit, type SignalOptions } from '../signal-options.js';
import { runAllAtOnce } from './all-at-once.js';
import { runArrayWorkers } from './array-workers.js';
import { runAsyncIterator } from './async-iterator.js';
import type { MapContext } from './context.js';
import { MapRun, type MapFn, type OnSettled } from './run.js';
import { runSyncIterator } from './sync-iterator.js';

export type { MapContext } from './context.js';

/** Options of `mapConcurrent`. */
export interface MapConcurrentOptions extends SignalOptions {
  /** Calls running at once: integer >= 1 or `Infinity` (default: `Infinity`, everything at once). */
  concurrency?: number | undefined;
  /**
   * `true` (default): the first failure starts nothing new, aborts running
   * calls, waits for them, then rejects with that error (the original object).
   * `false`: every item runs; if any failed, rejects with an `AggregateError`
   * of every failure in input order.
   */
  stopOnError?: boolean | undefined;
  /**
   * Called as each item settles: `error` is `undefined` and `failed` false on
   * success. Not called for a failure of the iterator itself. If it throws,
   * the run stops as on a failure and rejects with what it threw.
   */
  onSettled?: ((index: number, error: unknown, failed: boolean) => void) | undefined;
}

const MAP_OPTIONS = ['concurrency', 'signal', 'stopOnError', 'onSettled'] as const;

/**
 * The pull-based concurrent map engine behind `parallelMap` and `alcall`.
 *
 * Calls `fn(item, index, ctx)` for every item with at most `concurrency`
 * calls running, and resolves their results **in input order**.
 *
 * - Arrays are read by index (length taken at the start). Any other
 *   iterable or async iterable is read lazily: an item is pulled only when a
 *   slot is free, so memory grows with `concurrency`, not with the input.
 *   An async iterator's `next()` is never called while another is pending.
 * - Items are passed as they are (a promise item is not awaited).
 * - `ctx.signal` is each item's own signal, made on first read (see {@link MapContext}).
 * - A sync throw of `fn` is a failure like a rejection. A throw of the
 *   iterator counts as a failure too (with `stopOnError: false` it ends
 *   the input and is listed last in the `AggregateError`).
 * - On an early stop (failure, abort) a sync iterator is closed with
 *   `return()`; an async iterator is closed too and awaited, unless a
 *   `next()` is still pending (then the close is queued behind it and the
 *   run does not wait for a source that may never answer).
 * - It settles only after every call it started has settled.
 *
 * @throws TypeError / RangeError (synchronously) for bad arguments, naming them.
 * @example
 * ```ts
 * const sizes = await mapConcurrent(urls, async (url, i, { signal }) => {
 *   const res = await fetch(url, { signal });
 *   return (await res.arrayBuffer()).byteLength;
 * }, { concurrency: 8 });
 * ```
 */
export function mapConcurrent<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  fn: (item: T, index: number, ctx: MapContext) => R | PromiseLike<R>,
  options?: MapConcurrentOptions,
): Promise<R[]> {
  checkItems(items);
  checkFunction(fn, 'fn');
  const o = readOptions('mapConcurrent', options, MAP_OPTIONS);
  const concurrency = o.concurrency === undefined ? Infinity : checkLimit(o.concurrency, 'concurrency');
  const signal = o.signal;
  checkSignal(signal);
  const stopOnError = o.stopOnError;
  checkBoolean(stopOnError, 'stopOnError');
  const onSettled = o.onSettled as OnSettled | undefined;
  checkFunction(onSettled, 'onSettled', true);
  return runMap(items, fn, concurrency, signal, stopOnError !== false, onSettled);
}

/** Throws a TypeError naming `items` unless it is iterable or async iterable. */
export function checkItems(items: unknown, name = 'items'): void {
  if (
    items === null ||
    items === undefined ||
    (typeof (items as Iterable<unknown>)[Symbol.iterator] !== 'function' &&
      typeof (items as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function')
  ) {
    const got = items === null ? 'null' : typeof items;
    throw new TypeError(`${name} must be an iterable or an async iterable (got ${got})`);
  }
}

/** The engine without validation (arguments already checked). */
export function runMap<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  fn: MapFn<T, R>,
  concurrency: number,
  signal: AbortSignal | undefined,
  stopOnError: boolean,
  onSettled: OnSettled | undefined,
): Promise<R[]> {
  if (signal?.aborted === true) return Promise.reject(signal.reason as unknown);
  const run = new MapRun<T, R>(fn, stopOnError, onSettled);
  const promise = promiseInto<R[]>(run);
  if (signal !== undefined) {
    run.off = onAbort(signal, (reason) => {
      run.abort(reason);
    });
  }
  start(run, items, concurrency);
  return promise;
}

/** Picks the driver for the kind of input, and starts it. */
function start<T, R>(run: MapRun<T, R>, items: Iterable<T> | AsyncIterable<T>, concurrency: number): void {
  if (Array.isArray(items)) {
    const array = items as readonly T[];
    if (array.length === 0) run.finish();
    else if (array.length <= concurrency && run.stopOnError && run.onSettled === undefined) runAllAtOnce(run, array);
    else runArrayWorkers(run, array, concurrency);
    return;
  }
  let source: { async: true; iterator: AsyncIterator<T> } | { async: false; iterator: Iterator<T> };
  try {
    source =
      typeof (items as AsyncIterable<T>)[Symbol.asyncIterator] === 'function'
        ? { async: true, iterator: (items as AsyncIterable<T>)[Symbol.asyncIterator]() }
        : { async: false, iterator: (items as Iterable<T>)[Symbol.iterator]() };
  } catch (error) {
    run.sourceFailed(error); // the source failed to open: nothing to close
    run.finish();
    return;
  }
  if (source.async) runAsyncIterator(run, source.iterator, concurrency);
  else runSyncIterator(run, source.iterator, concurrency);
}
