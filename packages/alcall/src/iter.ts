import { CancelledError, sleep } from '@lf/scope';
import { checkBoolean, checkFunction, checkNumber, isThenable, linkedController, noop, onAbort, raceSignal } from '@lf/scope/internal';
import { progressReporter, newThrottle, type Exact, type NoOptions, type Tally } from './alcall.js';
import { asSource, closeIterator, isAsyncIterable, knownSize, toSource } from './input.js';
import { readALCallOptions, toPlan, type ALCallOptions, type CallContext, type Plan } from './options.js';
import { needsStopSignal, pipeline, type CallFn, type ItemFn } from './pipeline.js';
import type { ALCallElement, InputItem } from './result.js';

/**
 * Options of {@link alcallIter}: alcall's (but `flatten` and `uniqueOutput`,
 * which need every result), plus the order and the buffer.
 *
 * @example
 * ```ts
 * const options: ALCallIterOptions = { maxConcurrent: 8, ordered: false, backpressure: 32 };
 * ```
 * @category Calls
 */
export interface ALCallIterOptions<T = unknown> extends ALCallOptions<T> {
  /** `true` (default): results in input order. `false`: in completion order. */
  ordered?: boolean;
  /**
   * Most results running or finished and not yet taken by the consumer: the
   * input is read only while fewer are. Integer >= `maxConcurrent`, or
   * `Infinity`. Default: `maxConcurrent`.
   */
  backpressure?: number;
}

/**
 * Maps `fn` over `input` like {@link alcall}, but yields each result as it is
 * ready, as an async generator: in input order (`ordered: true`, default)
 * or in completion order.
 *
 * Pull-based: nothing starts before the first `next()`; at most
 * `maxConcurrent` items run, at most `backpressure` (default
 * `maxConcurrent`) items are running or finished and waiting for the
 * consumer, and the input is read only as the consumer pulls, so memory stays
 * bounded on an endless input.
 *
 * Leaving the loop early (`break`, `return()`, `throw()`) aborts the running
 * items' signals and waits for them before the loop exits; the input is
 * closed. A failure (no `retryDefault`, no `settle`) aborts and awaits the
 * running items, then the iterator throws it (results not yet taken are
 * dropped); with `stopOnError: false` the successes are yielded and an
 * `AggregateError` of the failures is thrown at the end. `settle: true`
 * yields records, `retryTiming` yields `[result, ms]`, `dropna` skips
 * `null`/`undefined` results; `flatten` and `uniqueOutput` are a RangeError.
 *
 * @example
 * ```ts
 * for await (const page of alcallIter(urls, (url, { signal }) => fetch(url, { signal }).then((r) => r.text()), {
 *   maxConcurrent: 4,
 *   ordered: false,
 * })) {
 *   console.log(page.length);
 * }
 * ```
 * @category Calls
 */
export function alcallIter<T, R, const O extends ALCallIterOptions<InputItem<T, O>> = NoOptions>(
  input: Iterable<T> | AsyncIterable<T> | T,
  fn: (item: InputItem<T, O>, ctx: CallContext) => R | PromiseLike<R>,
  // `& ALCallIterOptions` keeps inline callbacks contextually typed.
  options?: Exact<O, ALCallIterOptions> & ALCallIterOptions<InputItem<T, O>>,
): AsyncGenerator<ALCallElement<R, O>, void, undefined> {
  return new IterRun(input, fn as CallFn, options) as unknown as AsyncGenerator<ALCallElement<R, O>, void, undefined>;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });
/** An ordered slot whose result is not yielded (dropna, or a failure under stopOnError: false). */
const SKIP = Symbol('skip');

interface Pull {
  resolve(step: IteratorResult<unknown, void>): void;
  reject(error: unknown): void;
}

/** One running item's context: its signal made on first read, aborted if the run stops while it runs. */
class IterItem {
  controller: AbortController | null = null;
  done = false;
  constructor(
    readonly run: IterRun,
    readonly index: number,
  ) {}
  get signal(): AbortSignal {
    if (this.controller === null) {
      this.controller = new AbortController();
      this.run.watch(this);
    }
    return this.controller.signal;
  }
}

/** The iterator of one alcallIter call: a pull-based pool feeding an ordered or FIFO buffer. */
class IterRun {
  // Set up on the first next().
  #input: unknown;
  #fn: CallFn;
  #options: unknown;
  #setup: Promise<void> | undefined = undefined;
  #call: ItemFn = noop;
  #plan: Plan | undefined;
  #limit = Infinity;
  #backpressure = Infinity;
  #ordered = true;
  #dropna = false;
  #timing = false;
  #stopOnError = true;
  #tally: Tally | undefined;
  #progress: ((index: number, error: unknown, failed: boolean) => void) | undefined;
  #stop: (AbortController & { dispose(): void }) | undefined;
  #offAbort: (() => void) | undefined;

  // Source: an array by index, a sync iterator, or an async iterator (one next() at a time).
  #array: readonly unknown[] | undefined;
  #pos = 0;
  #iterator: Iterator<unknown> | undefined;
  #asyncIterator: AsyncIterator<unknown> | undefined;
  #reading: PromiseLike<unknown> | undefined;
  #sourceDone = false;
  #sourceFailed = false;

  #index = 0;
  #running = 0;
  readonly #live = new Set<IterItem>();
  // Results: by index (ordered) or in completion order.
  readonly #byIndex = new Map<number, unknown>();
  #head = 0;
  readonly #queue: unknown[] = [];
  #queueHead = 0;
  readonly #failures: { index: number; error: unknown }[] = [];

  readonly #pulls: Pull[] = [];
  #stopped = false;
  #failure: { error: unknown } | undefined;
  #leaving = false;
  #finished = false;
  #drained: (() => void) | undefined;

  constructor(input: unknown, fn: CallFn, options: unknown) {
    this.#input = input;
    this.#fn = fn;
    this.#options = options;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  next(): Promise<IteratorResult<unknown, void>> {
    if (this.#finished) return this.#final();
    return new Promise((resolve, reject) => {
      this.#pulls.push({ resolve, reject });
      if (this.#setup === undefined) {
        this.#setup = this.#start().then(
          () => {
            this.#pump();
          },
          (error: unknown) => {
            this.#halt({ error });
          },
        );
      } else if (!this.#stopped) {
        this.#pump();
      }
    });
  }

  async return(): Promise<IteratorResult<unknown, void>> {
    if (!this.#finished) {
      this.#leaving = true;
      if (!this.#stopped) this.#halt(undefined, new CancelledError('the consumer left the loop'));
      await this.#settled();
    }
    this.#failure = undefined; // the consumer left: nothing more to report
    return DONE;
  }

  async throw(error: unknown): Promise<IteratorResult<unknown, void>> {
    await this.return();
    throw error;
  }

  /** After the end: the failure once, then done. */
  #final(): Promise<IteratorResult<unknown, void>> {
    const failure = this.#failure;
    if (failure === undefined) return Promise.resolve(DONE);
    this.#failure = undefined;
    return Promise.reject(failure.error);
  }

  /** Reads and validates the options, prepares the input, waits initialDelay (once, on the first pull). */
  async #start(): Promise<void> {
    const fn = this.#fn;
    checkFunction(fn, 'fn');
    const o = readALCallOptions('alcallIter', this.#options, ['ordered', 'backpressure']);
    checkBoolean(o.ordered, 'ordered');
    for (const name of ['flatten', 'uniqueOutput'] as const) {
      if (o[name] === true) throw new RangeError(`alcallIter: ${name} needs every result; it is not an option here (use alcall)`);
    }
    const plan = toPlan('alcallIter', o);
    const backpressure =
      o.backpressure === undefined
        ? plan.maxConcurrent
        : checkNumber(o.backpressure, 'backpressure', { min: 1, integer: true, allowInfinity: true });
    if (backpressure < plan.maxConcurrent) {
      throw new RangeError(`backpressure must be >= maxConcurrent (got ${backpressure} < ${plan.maxConcurrent})`);
    }
    this.#plan = plan;
    this.#limit = plan.maxConcurrent;
    this.#backpressure = backpressure;
    this.#ordered = o.ordered !== false;
    this.#dropna = plan.dropna;
    this.#timing = plan.retryTiming;
    this.#stopOnError = plan.stopOnError || plan.settle;
    plan.signal?.throwIfAborted();
    const shared = { throttle: newThrottle(plan) };
    // One stop signal for every wait of the run (the caller's abort, a failure, the consumer leaving).
    const stop = (this.#stop = linkedController(plan.signal));
    const signal = stop.signal;
    this.#call = pipeline(fn, plan, shared, 0, needsStopSignal(plan, shared) ? signal : undefined, (error) => {
      if (this.#stopOnError && !this.#stopped) this.#halt({ error });
    });
    if (plan.signal !== undefined)
      this.#offAbort = onAbort(plan.signal, (reason) => {
        this.#halt(undefined, reason);
      });
    const source = await toSource(this.#input, plan, signal);
    this.#input = undefined;
    if (Array.isArray(source)) this.#array = source;
    else if (isAsyncIterable(source)) this.#asyncIterator = source[Symbol.asyncIterator]();
    else this.#iterator = (asSource(source) as Iterable<unknown>)[Symbol.iterator]();
    if (this.#stopped) {
      // Left (or aborted) while starting: close the input it will never read.
      this.#sourceDone = false;
      void this.#close().catch(noop);
      return;
    }
    if (plan.onProgress !== undefined) {
      this.#tally = { completed: 0, failed: 0, total: knownSize(source) };
      this.#progress = progressReporter(plan, this.#tally);
    }
    if (plan.initialDelay > 0) await sleep(plan.initialDelay, { signal });
  }

  /** Delivers what can be delivered, then starts what may start. */
  #pump(): void {
    this.#deliver();
    this.#fill();
    this.#deliver();
  }

  /** Buffered = finished and not yet taken (skipped ordered slots included: they hold buffer room). */
  #buffered(): number {
    return this.#ordered ? this.#byIndex.size : this.#queue.length - this.#queueHead;
  }

  #fill(): void {
    while (
      !this.#stopped &&
      !this.#sourceDone &&
      this.#reading === undefined &&
      this.#running < this.#limit &&
      this.#running + this.#buffered() < this.#backpressure
    ) {
      if (this.#array !== undefined) {
        const array = this.#array;
        if (this.#pos >= array.length) {
          this.#sourceDone = true;
          break;
        }
        this.#begin(array[this.#pos++]);
      } else if (this.#iterator !== undefined) {
        let step: IteratorResult<unknown>;
        try {
          step = this.#iterator.next();
        } catch (error) {
          this.#sourceFailed = true;
          this.#sourceDone = true;
          this.#halt({ error });
          return;
        }
        if (step.done === true) {
          this.#sourceDone = true;
          break;
        }
        this.#begin(step.value);
      } else {
        this.#readAsync();
        return;
      }
    }
    if (!this.#stopped && this.#sourceDone && this.#running === 0 && this.#reading === undefined) this.#end();
  }

  #readAsync(): void {
    const iterator = this.#asyncIterator;
    if (iterator === undefined) return;
    let pending: PromiseLike<IteratorResult<unknown>>;
    try {
      pending = iterator.next();
    } catch (error) {
      this.#sourceFailed = true;
      this.#sourceDone = true;
      this.#halt({ error });
      return;
    }
    this.#reading = pending;
    raceSignal(pending, this.#stop?.signal).then(
      (step) => {
        this.#reading = undefined;
        if (this.#stopped) {
          this.#checkDrained();
          return;
        }
        if (step.done === true) this.#sourceDone = true;
        else this.#begin(step.value);
        this.#pump();
      },
      (error: unknown) => {
        if (this.#stopped) {
          this.#checkDrained();
          return;
        } // abandoned: closed once it answers
        this.#reading = undefined;
        this.#sourceFailed = true;
        this.#sourceDone = true;
        this.#halt({ error });
      },
    );
  }

  #begin(item: unknown): void {
    const index = this.#index++;
    const ctx = new IterItem(this, index);
    this.#running++;
    let outcome: unknown;
    try {
      outcome = this.#call(item, index, ctx);
    } catch (error) {
      this.#settle(ctx, false, error);
      return;
    }
    if (isThenable(outcome)) {
      Promise.resolve(outcome).then(
        (value) => {
          this.#settle(ctx, true, value);
        },
        (error: unknown) => {
          this.#settle(ctx, false, error);
        },
      );
    } else {
      this.#settle(ctx, true, outcome);
    }
  }

  /** An item's signal was read: abort it at once if the run stopped, else register it. */
  watch(ctx: IterItem): void {
    if (ctx.done) return;
    if (this.#stopped) ctx.controller?.abort(this.#reason);
    else this.#live.add(ctx);
  }

  #reason: unknown;

  #settle(ctx: IterItem, ok: boolean, value: unknown): void {
    ctx.done = true;
    if (ctx.controller !== null) this.#live.delete(ctx);
    this.#running--;
    if (this.#stopped) {
      this.#checkDrained();
      return;
    }
    this.#progress?.(ctx.index, ok ? undefined : value, !ok);
    if (!ok) {
      if (this.#stopOnError) {
        this.#halt({ error: value });
        return;
      }
      this.#failures.push({ index: ctx.index, error: value });
      if (this.#ordered) this.#byIndex.set(ctx.index, SKIP);
    } else {
      const skip = this.#dropna && (this.#timing ? (value as [unknown, number])[0] == null : value == null);
      if (this.#ordered) this.#byIndex.set(ctx.index, skip ? SKIP : value);
      else if (!skip) this.#queue.push(value);
    }
    this.#pump();
  }

  #deliver(): void {
    const pulls = this.#pulls;
    if (this.#ordered) {
      const byIndex = this.#byIndex;
      while (byIndex.has(this.#head)) {
        const value = byIndex.get(this.#head);
        if (value !== SKIP && pulls.length === 0) return;
        byIndex.delete(this.#head++);
        if (value !== SKIP) pulls.shift()?.resolve({ done: false, value });
      }
    } else {
      const queue = this.#queue;
      while (pulls.length > 0 && this.#queueHead < queue.length) {
        const value = queue[this.#queueHead];
        queue[this.#queueHead++] = undefined;
        if (this.#queueHead === queue.length) {
          queue.length = 0;
          this.#queueHead = 0;
        } else if (this.#queueHead >= 1024 && this.#queueHead * 2 >= queue.length) {
          // A consumer that never lets the queue empty: drop the taken head so the array stays bounded.
          queue.splice(0, this.#queueHead);
          this.#queueHead = 0;
        }
        pulls.shift()?.resolve({ done: false, value });
      }
    }
  }

  /** The input ended and every item settled: deliver the rest, then done (or the failures of stopOnError: false). */
  #end(): void {
    if (this.#buffered() > 0) return; // the consumer will pull the rest first
    this.#stopped = true;
    if (this.#failures.length > 0) {
      const errors = this.#failures.sort((a, b) => a.index - b.index).map((f) => f.error);
      this.#failure = { error: new AggregateError(errors, `alcallIter: ${errors.length} of the items failed`) };
    }
    this.#finish();
  }

  /** Stops the run: nothing new starts, running items' signals abort, the rest waits for them to settle. */
  #halt(failure: { error: unknown } | undefined, reason?: unknown): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (failure !== undefined) this.#failure = failure;
    else if (!this.#leaving) this.#failure = { error: reason };
    this.#reason = failure === undefined ? reason : new CancelledError('another item failed', { cause: failure.error });
    this.#byIndex.clear();
    this.#queue.length = 0;
    this.#queueHead = 0;
    const stop = this.#stop;
    if (stop !== undefined && !stop.signal.aborted) stop.abort(this.#reason);
    for (const ctx of this.#live) ctx.controller?.abort(this.#reason);
    this.#live.clear();
    this.#checkDrained();
  }

  #checkDrained(): void {
    if (this.#running > 0 || this.#finished) return;
    if (this.#reading !== undefined && !this.#stopped) return;
    this.#finish();
  }

  /** Everything settled: close the input (unless it ended or failed), release listeners, answer the pulls. */
  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#offAbort?.();
    this.#stop?.dispose();
    const closing = this.#close();
    const answer = (): void => {
      const pulls = this.#pulls.splice(0);
      for (const pull of pulls) {
        const failure = this.#failure;
        if (failure !== undefined && !this.#leaving) {
          this.#failure = undefined;
          pull.reject(failure.error);
        } else {
          pull.resolve(DONE);
        }
      }
      this.#drained?.();
    };
    closing.then(answer, (error: unknown) => {
      if (this.#failure === undefined && !this.#leaving) this.#failure = { error };
      answer();
    });
  }

  #close(): Promise<void> {
    if (this.#sourceFailed || (this.#sourceDone && this.#reading === undefined)) return Promise.resolve();
    const iterator = this.#asyncIterator ?? this.#iterator;
    if (iterator === undefined) return Promise.resolve();
    return closeIterator(iterator, this.#reading);
  }

  #settled(): Promise<void> {
    if (this.#finished && this.#pulls.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.#drained;
      this.#drained = () => {
        previous?.();
        resolve();
      };
      if (this.#setup !== undefined && this.#plan === undefined) {
        // Still starting: the start's failure or the halt settles it.
        void this.#setup.then(() => {
          this.#checkDrained();
        });
      } else {
        this.#checkDrained();
      }
    });
  }
}
