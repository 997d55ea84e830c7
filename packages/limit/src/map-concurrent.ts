import { CancelledError } from '@lf/scope';
import { checkBoolean, checkFunction, checkSignal, isThenable, onAbort, readOptions } from '@lf/scope/internal';
import { noop, promiseInto } from './deferred.js';
import { checkLimit, type SignalOptions } from './signal-options.js';

/** The third argument of every call made by `mapConcurrent` (one per item). */
export interface MapContext {
  /**
   * This item's own signal. Aborts when the run stops while the item runs:
   * with a `CancelledError` (its `cause` is the failure) when another item
   * failed under `stopOnError`, or with the outer `signal`'s reason.
   * Created on first read: unread, it costs nothing. One signal per item (not
   * one shared by the run) keeps listeners from piling up on a single signal
   * (Node warns past 10) and lets each be collected when its item settles.
   */
  readonly signal: AbortSignal;
}

/** A run's per-item context: the signal is made on first read and registered with the run. */
class ItemContext implements MapContext {
  controller: AbortController | null = null;
  constructor(
    private readonly run: { itemSignal(ctx: ItemContext): AbortSignal },
    /** The item's index (read only by the all-at-once path, to watch the item settle). */
    readonly index: number,
  ) {}
  get signal(): AbortSignal {
    return this.controller?.signal ?? this.run.itemSignal(this);
  }
}

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

type MapFn<T, R> = (item: T, index: number, ctx: MapContext) => R | PromiseLike<R>;
type OnSettled = (index: number, error: unknown, failed: boolean) => void;

const MAP_OPTIONS = ['concurrency', 'signal', 'stopOnError', 'onSettled'] as const;

/** Index given to a failure of the iterator itself (it sorts after every item). */
const ITERATOR = -1;

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
    items === null || items === undefined ||
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
  const run = new MapRun<T, R>(fn, concurrency, stopOnError, onSettled);
  const promise = promiseInto<R[]>(run);
  if (signal !== undefined) {
    run.off = onAbort(signal, (reason) => {
      run.abort(reason);
    });
  }
  run.start(items);
  return promise;
}

/** One run of the engine: shared state read by a few worker loops (no closure per item). */
class MapRun<T, R> {
  resolve: (value: R[] | PromiseLike<R[]>) => void = noop;
  reject: (reason: unknown) => void = noop;
  off: (() => void) | undefined = undefined;

  readonly fn: MapFn<T, R>;
  readonly concurrency: number;
  readonly stopOnError: boolean;
  readonly onSettled: OnSettled | undefined;
  results: R[] = [];

  // Source: exactly one of these is set.
  array: readonly T[] | undefined = undefined;
  length = 0;
  iterator: Iterator<T> | undefined = undefined;
  asyncIterator: AsyncIterator<T> | undefined = undefined;
  /** No more items will be read (done, or the iterator threw). */
  exhausted = false;

  /** Next index to hand out. */
  next = 0;
  /** Worker loops + (async source) the feeder and each running item. */
  live = 0;
  /** Async source: items running now. */
  running = 0;
  /** Async source: the feeder waiting for a free slot. */
  wake: (() => void) | null = null;
  /** Async source: a `next()` is pending. */
  pulling = false;
  /** Async source: the run stopped while `next()` was pending and no longer waits for it. */
  detached = false;

  stopped = false;
  finished = false;
  stopReason: unknown = undefined;
  hasError = false;
  error: unknown = undefined;
  hasAbort = false;
  abortReason: unknown = undefined;
  /** With stopOnError false: [index, error] pairs. */
  failures: { index: number; error: unknown }[] | null = null;
  /** Items whose signal was read and that are still running: aborted by `stop`. */
  liveSignals: Set<ItemContext> | null = null;

  constructor(fn: MapFn<T, R>, concurrency: number, stopOnError: boolean, onSettled: OnSettled | undefined) {
    this.fn = fn;
    this.concurrency = concurrency;
    this.stopOnError = stopOnError;
    this.onSettled = onSettled;
  }

  /** Makes an item's signal on its first read; aborted at once if the run has stopped. */
  itemSignal(ctx: ItemContext): AbortSignal {
    const controller = (ctx.controller = new AbortController());
    if (this.stopped) {
      controller.abort(this.stopReason);
    } else {
      (this.liveSignals ??= new Set()).add(ctx);
      // All-at-once path: no worker sees the item settle, so watch it (only items that read
      // their signal pay for this). An item still in its synchronous start is watched by startAll.
      const started = this.started;
      if (started !== null && ctx.index < this.next) this.watch(ctx, started[ctx.index]);
    }
    return controller.signal;
  }

  /**
   * All-at-once path: drops an item's signal from the live set once its
   * outcome settles, so a later stop never aborts the signal of an item that
   * is no longer running.
   */
  watch(ctx: ItemContext, outcome: unknown): void {
    if (!isThenable(outcome)) {
      this.release(ctx);
      return;
    }
    const release = (): void => {
      this.release(ctx);
    };
    Promise.resolve(outcome).then(release, release);
  }

  /** An item fulfilled: its signal no longer needs aborting; report it. Never throws. */
  succeeded(i: number, ctx: ItemContext): void {
    this.release(ctx);
    if (this.onSettled !== undefined) this.notify(i, undefined, false);
  }

  /** An item failed: record the failure (which may stop the run) and report it. Never throws. */
  failed(i: number, ctx: ItemContext, error: unknown): void {
    this.release(ctx);
    this.fail(i, error);
    if (this.onSettled !== undefined) this.notify(i, error, true);
  }

  /** An item settled: its signal (if it was read) no longer needs aborting. */
  release(ctx: ItemContext): void {
    if (ctx.controller !== null) this.liveSignals?.delete(ctx);
  }

  start(items: Iterable<T> | AsyncIterable<T>): void {
    if (Array.isArray(items)) {
      const array = items as readonly T[];
      const n = array.length;
      this.array = array;
      this.length = n;
      if (n === 0) {
        this.finish();
        return;
      }
      if (n <= this.concurrency && this.stopOnError && this.onSettled === undefined) {
        this.startAll(array, n);
        return;
      }
      this.results = new Array<R>(n);
      const workers = Math.min(this.concurrency, n);
      for (let k = 0; k < workers && !this.stopped; k++) {
        this.live++;
        void this.arrayWorker(array);
      }
      return;
    }
    let iterator: Iterator<T>;
    try {
      if (typeof (items as AsyncIterable<T>)[Symbol.asyncIterator] === 'function') {
        const asyncIterator = (items as AsyncIterable<T>)[Symbol.asyncIterator]();
        this.asyncIterator = asyncIterator;
        this.live++;
        void this.feed(asyncIterator);
        return;
      }
      iterator = (items as Iterable<T>)[Symbol.iterator]();
    } catch (error) {
      this.exhausted = true;
      this.fail(ITERATOR, error);
      this.finish();
      return;
    }
    this.iterator = iterator;
    for (let k = 0; k < this.concurrency && !this.stopped && !this.exhausted; k++) {
      this.live++;
      void this.iteratorWorker(iterator);
    }
  }

  /**
   * Everything fits at once (and no per-item hook): start every call now and
   * let one `Promise.all` collect them, as lean as `Promise.all(items.map(fn))`.
   * On the first rejection (or an abort) it waits for the rest with
   * `Promise.allSettled` before settling.
   */
  startAll(array: readonly T[], n: number): void {
    const fn = this.fn;
    const started = new Array<R | PromiseLike<R>>(n);
    this.started = started;
    let i = 0;
    while (i < n) {
      const ctx = new ItemContext(this, i);
      try {
        const outcome = fn(array[i] as T, i, ctx);
        started[i] = outcome;
        // Read its signal while starting: watch it settle (a later read is watched by itemSignal).
        if (ctx.controller !== null) this.watch(ctx, outcome);
      } catch (error) {
        this.release(ctx); // its own failure does not abort its signal
        this.fail(i, error);
      }
      this.next = ++i;
      if (this.stopped) break;
    }
    this.live = 1;
    if (i < n) {
      started.length = i;
      void Promise.allSettled(started).then(this.leaveBound);
      return;
    }
    Promise.all(started).then(this.allFulfilled, this.allRejected);
  }

  /** Fast path: every call's outcome, for waiting on them after a failure (`null` on the other paths). */
  started: (R | PromiseLike<R>)[] | null = null;

  readonly allFulfilled = (values: R[]): void => {
    this.results = values;
    this.leave();
  };

  readonly allRejected = (error: unknown): void => {
    this.fail(ITERATOR, error);
    void Promise.allSettled(this.started ?? []).then(this.leaveBound);
  };

  readonly leaveBound = (): void => {
    this.leave();
  };

  async arrayWorker(array: readonly T[]): Promise<void> {
    const n = this.length;
    const fn = this.fn;
    const results = this.results;
    let i: number;
    while (!this.stopped && (i = this.next) < n) {
      this.next = i + 1;
      const ctx = new ItemContext(this, i);
      try {
        results[i] = await fn(array[i] as T, i, ctx);
      } catch (error) {
        this.failed(i, ctx, error);
        continue;
      }
      this.succeeded(i, ctx);
    }
    this.leave();
  }

  async iteratorWorker(iterator: Iterator<T>): Promise<void> {
    const fn = this.fn;
    const results = this.results;
    while (!this.stopped && !this.exhausted) {
      let item: T;
      try {
        const step = iterator.next();
        if (typeof step !== 'object' || (step as unknown) === null) throw notAResult(step);
        if (step.done === true) {
          this.exhausted = true;
          break;
        }
        item = step.value;
      } catch (error) {
        this.exhausted = true;
        this.fail(ITERATOR, error);
        break;
      }
      const i = this.next++;
      const ctx = new ItemContext(this, i);
      try {
        results[i] = await fn(item, i, ctx);
      } catch (error) {
        this.failed(i, ctx, error);
        continue;
      }
      this.succeeded(i, ctx);
    }
    this.leave();
  }

  /** Async source: pulls one item at a time, only while a slot is free, and starts it. */
  async feed(iterator: AsyncIterator<T>): Promise<void> {
    for (;;) {
      if (this.running >= this.concurrency && !this.stopped) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
      if (this.stopped || this.exhausted) break;
      let done: boolean;
      let item: T;
      this.pulling = true;
      try {
        const step = await iterator.next();
        if (typeof step !== 'object' || (step as unknown) === null) throw notAResult(step);
        done = step.done === true;
        item = step.value as T;
      } catch (error) {
        this.pulling = false;
        if (this.detached) return;
        this.exhausted = true;
        this.fail(ITERATOR, error);
        break;
      }
      this.pulling = false;
      if (this.detached) return;
      if (done) {
        this.exhausted = true;
        break;
      }
      const i = this.next++;
      this.running++;
      this.live++;
      void this.runOne(item, i);
    }
    this.leave();
  }

  async runOne(item: T, i: number): Promise<void> {
    const ctx = new ItemContext(this, i);
    try {
      this.results[i] = await this.fn(item, i, ctx);
      this.succeeded(i, ctx);
    } catch (error) {
      this.failed(i, ctx, error);
    }
    this.running--;
    const wake = this.wake;
    if (wake !== null) {
      this.wake = null;
      wake();
    }
    this.leave();
  }

  fail(index: number, error: unknown): void {
    if (this.stopped) return; // a failure after the stop (often the cancellation itself) is not reported
    if (this.stopOnError) {
      this.hasError = true;
      this.error = error;
      this.stop(new CancelledError('Cancelled because another item failed', { cause: error }));
    } else {
      (this.failures ??= []).push({ index, error });
    }
  }

  notify(index: number, error: unknown, failed: boolean): void {
    const onSettled = this.onSettled;
    if (onSettled === undefined) return;
    try {
      onSettled(index, error, failed);
    } catch (thrown) {
      if (this.hasError || this.hasAbort) return;
      this.hasError = true;
      this.error = thrown;
      this.stop(new CancelledError('Cancelled because onSettled threw', { cause: thrown }));
    }
  }

  abort(reason: unknown): void {
    if (this.stopped || this.finished) return;
    this.hasAbort = true;
    this.abortReason = reason;
    this.stop(reason);
  }

  stop(reason: unknown): void {
    this.stopped = true;
    this.stopReason = reason;
    const live = this.liveSignals;
    if (live !== null) {
      this.liveSignals = null;
      for (const ctx of live) ctx.controller?.abort(reason);
    }
    const wake = this.wake;
    if (wake !== null) {
      this.wake = null;
      wake();
    }
    if (this.pulling && !this.detached) {
      // Do not wait for a pending next() that may never answer.
      this.detached = true;
      this.leave();
    }
  }

  leave(): void {
    if (--this.live === 0) this.finish();
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.liveSignals = null;
    if (this.off !== undefined) {
      this.off();
      this.off = undefined;
    }
    if (!this.stopped || this.exhausted) {
      this.settle();
      return;
    }
    // Stopped early: close the source we abandon.
    this.exhausted = true;
    const iterator = this.iterator;
    if (iterator !== undefined) {
      try {
        iterator.return?.();
      } catch {
        /* the run already has its outcome */
      }
      this.settle();
      return;
    }
    const asyncIterator = this.asyncIterator;
    if (asyncIterator?.return === undefined) {
      this.settle();
      return;
    }
    let closing: Promise<unknown>;
    try {
      closing = Promise.resolve(asyncIterator.return());
    } catch {
      this.settle();
      return;
    }
    if (this.pulling) {
      closing.then(noop, noop);
      this.settle();
    } else {
      closing.then(this.settleBound, this.settleBound);
    }
  }

  readonly settleBound = (): void => {
    this.settle();
  };

  settle(): void {
    if (this.hasError) {
      this.reject(this.error);
    } else if (this.hasAbort) {
      this.reject(this.abortReason);
    } else if (this.failures !== null) {
      const failures = this.failures.sort(byIndex);
      this.reject(
        new AggregateError(
          failures.map((f) => f.error),
          `${failures.length} of ${this.next} items failed`,
        ),
      );
    } else {
      this.resolve(this.results);
    }
  }
}

function notAResult(step: unknown): TypeError {
  return new TypeError(`Iterator result ${String(step)} is not an object`);
}

function byIndex(a: { index: number }, b: { index: number }): number {
  return (a.index === ITERATOR ? Infinity : a.index) - (b.index === ITERATOR ? Infinity : b.index);
}
