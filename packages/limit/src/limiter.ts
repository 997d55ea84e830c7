import { CancelledError } from '@lf/scope';
import { noop, resolvableInto, type Resolver } from './deferred.js';
import { LinkedQueue, checkFunction, checkNumber, checkOptions, checkSignal, onAbort, type Linked } from '@lf/scope/internal';

/** Options of the Limiter methods that wait: `acquire`, `schedule`, `onIdle`. */
export interface SignalOptions {
  /** Aborting it removes the waiting call from the queue and rejects it with `signal.reason`. */
  signal?: AbortSignal | undefined;
}

/** What a {@link Limiter.schedule} callback receives. */
export interface ScheduleContext {
  /** The `signal` passed to `schedule` (`undefined` if none): watch it to stop running work. */
  readonly signal: AbortSignal | undefined;
}

/** Gives a slot taken by {@link Limiter.acquire} back. Calling it again does nothing. */
export type Release = () => void;

/** Any function, as the queue stores it. */
type Callable = (this: unknown, ...args: unknown[]) => unknown;

/**
 * A queued call (or, with `fn === null`, a queued `acquire`). Kept small:
 * a burst of queued calls holds one of these each, and its size is the
 * garbage collector's work. A single argument is stored without its array.
 */
class Waiter implements Linked<Waiter>, Resolver<unknown> {
  prev: Waiter | null = null;
  next: Waiter | null = null;
  fn: Callable | null;
  thisArg: unknown;
  /** The only argument, when `args` is null. */
  arg: unknown;
  args: unknown[] | null;
  resolve: (value: unknown) => void = noop;
  /** Removes the abort listener of a call queued with a signal. */
  off: (() => void) | undefined = undefined;
  constructor(fn: Callable | null, thisArg: unknown, args: unknown[]) {
    this.fn = fn;
    this.thisArg = thisArg;
    if (args.length === 1) {
      this.arg = args[0];
      this.args = null;
    } else {
      this.arg = undefined;
      this.args = args;
    }
  }
}

/** Settles a queued call's promise with a rejection. */
function rejectWaiter(node: Waiter, reason: unknown): void {
  node.resolve(Promise.reject(reason));
}

const NO_ARGS: unknown[] = [];

/** Checks a concurrency limit: an integer >= 1, or Infinity. */
export function checkLimit(value: unknown, name: string): number {
  return checkNumber(value, name, { min: 1, integer: true, allowInfinity: true });
}

let submitImpl: (limiter: Limiter, fn: Callable, thisArg: unknown, args: unknown[]) => Promise<unknown>;

/**
 * Runs at most `limit` calls at a time; the others wait in a FIFO queue
 * (O(1) per operation) and start as slots free up. Python's
 * `asyncio.Semaphore` / p-limit, with a settable limit, cancellable waiting,
 * `clearQueue` that rejects what it drops, and `onIdle`.
 *
 * - `run(fn, ...args)` starts `fn` at once (synchronously) when a slot is
 *   free, else queues it. A sync `fn` becomes async; a sync throw rejects the
 *   returned promise and frees the slot.
 * - `schedule(fn, { signal })` is `run` with a signal: a queued call whose
 *   signal aborts leaves the queue at once and rejects with `signal.reason`;
 *   a started one receives the signal (`fn({ signal })`) and must honour it.
 * - `acquire({ signal })` takes a slot yourself and resolves a release function.
 *
 * @example
 * ```ts
 * const limiter = new Limiter(2);
 * const pages = await Promise.all(urls.map((url) => limiter.run(fetchText, url)));
 * limiter.limit = 8;          // raising it starts queued calls at once
 * await limiter.onIdle();     // nothing running, nothing queued
 * ```
 */
export class Limiter {
  #limit: number;
  #active = 0;
  readonly #queue = new LinkedQueue<Waiter>();
  #idle: Set<() => void> | null = null;
  readonly #onFulfilled = (value: unknown): unknown => {
    this.#release();
    return value;
  };
  readonly #onRejected = (error: unknown): never => {
    this.#release();
    throw error;
  };

  static {
    submitImpl = (limiter, fn, thisArg, args) => limiter.#submit(fn, thisArg, args);
  }

  /**
   * @param limit - how many calls may run at once: an integer >= 1, or `Infinity`.
   * @throws RangeError when `limit` is < 1, NaN or not an integer; TypeError when it is not a number.
   */
  constructor(limit: number) {
    this.#limit = checkLimit(limit, 'limit');
  }

  /**
   * How many calls may run at once. Settable at any time: raising it starts
   * queued calls at once (synchronously); lowering it lets running calls
   * finish and starts nothing new until fewer than `limit` run.
   */
  get limit(): number {
    return this.#limit;
  }

  set limit(value: number) {
    this.#limit = checkLimit(value, 'limit');
    while (this.#queue.head !== null && this.#active < this.#limit) {
      this.#active++;
      void this.#drain();
    }
  }

  /** Calls running now (and slots held through `acquire`). */
  get activeCount(): number {
    return this.#active;
  }

  /** Calls (and `acquire`s) waiting in the queue. */
  get pendingCount(): number {
    return this.#queue.size;
  }

  /**
   * Calls `fn(...args)` when a slot is free (at once if one is) and settles
   * like it. The slot is held until the returned promise of `fn` settles.
   *
   * @throws TypeError (synchronously) when `fn` is not a function.
   * @example
   * ```ts
   * const limiter = new Limiter(3);
   * const sizes = await Promise.all(files.map((f) => limiter.run(statSize, f)));
   * ```
   */
  run<A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A): Promise<Awaited<R>> {
    checkFunction(fn, 'fn');
    return this.#submit(fn as Callable, undefined, args) as Promise<Awaited<R>>;
  }

  /**
   * Like `run`, with a signal: while the call is queued, aborting `signal`
   * removes it from the queue and rejects with `signal.reason` (it never
   * runs, never takes a slot). Once started, `fn` receives `{ signal }`
   * and is responsible for stopping; the promise settles like `fn`.
   *
   * @throws TypeError (synchronously) for a non-function `fn` or a bad `signal`.
   * @example
   * ```ts
   * const controller = new AbortController();
   * const text = limiter.schedule(({ signal }) => fetch(url, { signal }).then((r) => r.text()),
   *                               { signal: controller.signal });
   * controller.abort(); // if still queued: rejects now, fetch never starts
   * ```
   */
  schedule<R>(fn: (ctx: ScheduleContext) => R | PromiseLike<R>, options?: SignalOptions): Promise<Awaited<R>> {
    checkFunction(fn, 'fn');
    checkOptions(options);
    const signal = options?.signal;
    checkSignal(signal);
    if (signal?.aborted === true) return Promise.reject(signal.reason as unknown);
    const args: unknown[] = [{ signal }];
    if (signal === undefined || this.#active < this.#limit) {
      return this.#submit(fn as Callable, undefined, args) as Promise<Awaited<R>>;
    }
    return this.#enqueueAbortable(new Waiter(fn as Callable, undefined, args), signal) as Promise<Awaited<R>>;
  }

  /**
   * Takes a slot yourself: resolves a `release` function once a slot is
   * yours. Call it exactly when done (extra calls do nothing). While
   * queued, aborting `signal` removes the request and rejects with
   * `signal.reason`; it never occupies a slot.
   *
   * @example
   * ```ts
   * const release = await limiter.acquire({ signal });
   * try { await useTheConnection(); } finally { release(); }
   * ```
   */
  acquire(options?: SignalOptions): Promise<Release> {
    checkOptions(options);
    const signal = options?.signal;
    checkSignal(signal);
    if (signal?.aborted === true) return Promise.reject(signal.reason as unknown);
    if (this.#active < this.#limit) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    const node = new Waiter(null, undefined, NO_ARGS);
    if (signal === undefined) {
      const promise = resolvableInto(node);
      this.#queue.push(node);
      return promise as Promise<Release>;
    }
    return this.#enqueueAbortable(node, signal) as Promise<Release>;
  }

  /**
   * Rejects every queued (not yet started) call and `acquire` with `reason`
   * (default: a `CancelledError`). Running calls are not touched.
   *
   * @example
   * ```ts
   * limiter.clearQueue(new Error('shutting down'));
   * await limiter.onIdle(); // only the running calls were left
   * ```
   */
  clearQueue(reason: unknown = new CancelledError('The limiter queue was cleared')): void {
    let node = this.#queue.takeAll();
    while (node !== null) {
      const next = node.next;
      node.next = null;
      node.prev = null;
      if (node.off !== undefined) node.off();
      rejectWaiter(node, reason);
      node = next;
    }
    this.#checkIdle();
  }

  /**
   * Resolves when nothing runs and nothing is queued (at once if so now).
   * With a `signal`, rejects with `signal.reason` when it aborts first.
   *
   * @example
   * ```ts
   * for (const job of jobs) void limiter.run(job).catch(report);
   * await limiter.onIdle();
   * ```
   */
  onIdle(options?: SignalOptions): Promise<void> {
    checkOptions(options);
    const signal = options?.signal;
    checkSignal(signal);
    if (signal?.aborted === true) return Promise.reject(signal.reason as unknown);
    if (this.#active === 0 && this.#queue.size === 0) return Promise.resolve();
    const waiters = (this.#idle ??= new Set());
    return new Promise<void>((resolve, reject) => {
      if (signal === undefined) {
        waiters.add(resolve);
        return;
      }
      const done = (): void => {
        off();
        resolve();
      };
      const off = onAbort(signal, (reason) => {
        waiters.delete(done);
        reject(reason);
      });
      waiters.add(done);
    });
  }

  #submit(fn: Callable, thisArg: unknown, args: unknown[]): Promise<unknown> {
    if (this.#active < this.#limit) {
      this.#active++;
      let result: unknown;
      try {
        result = fn.apply(thisArg, args);
      } catch (error) {
        this.#release();
        return Promise.reject(error);
      }
      return Promise.resolve(result).then(this.#onFulfilled, this.#onRejected);
    }
    const node = new Waiter(fn, thisArg, args);
    const promise = resolvableInto(node);
    this.#queue.push(node);
    return promise;
  }

  #enqueueAbortable(node: Waiter, signal: AbortSignal): Promise<unknown> {
    const promise = resolvableInto(node);
    this.#queue.push(node);
    node.off = onAbort(signal, (reason) => {
      this.#queue.remove(node);
      node.off = undefined;
      rejectWaiter(node, reason);
    });
    return promise;
  }

  /**
   * Holds one slot (already counted in `#active`) and runs queued calls one
   * after another until the queue is empty or the limit was lowered below
   * the running count. One async loop per slot, not a promise chain per call.
   */
  async #drain(): Promise<void> {
    const queue = this.#queue;
    let node: Waiter | null;
    while ((node = queue.head) !== null && this.#active <= this.#limit) {
      queue.remove(node);
      if (node.off !== undefined) {
        node.off();
        node.off = undefined;
      }
      const fn = node.fn;
      if (fn === null) {
        // An acquire: the slot passes to it, released by its release function.
        node.resolve(this.#releaser());
        return;
      }
      const args = node.args;
      try {
        node.resolve(await (args === null ? fn.call(node.thisArg, node.arg) : fn.apply(node.thisArg, args)));
      } catch (error) {
        rejectWaiter(node, error);
      }
    }
    this.#active--;
    this.#checkIdle();
  }

  /** Frees one slot, or hands it straight to the queue. */
  #release(): void {
    if (this.#queue.head !== null && this.#active <= this.#limit) {
      void this.#drain();
      return;
    }
    this.#active--;
    this.#checkIdle();
  }

  #releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#release();
    };
  }

  #checkIdle(): void {
    const waiters = this.#idle;
    if (waiters === null || this.#active !== 0 || this.#queue.size !== 0) return;
    this.#idle = null;
    for (const resolve of waiters) resolve();
  }
}

/**
 * Same as `new Limiter(limit)` (p-limit's `pLimit(n)` shape, returning the object).
 *
 * @example
 * ```ts
 * const limiter = createLimiter(4);
 * await limiter.run(() => upload(file));
 * ```
 */
export function createLimiter(limit: number): Limiter {
  return new Limiter(limit);
}

/**
 * Internal: submits `fn.apply(thisArg, args)` without re-validating and without
 * a closure per call (used by `maxConcurrent` wrappers).
 */
export function submitCall(limiter: Limiter, fn: Callable, thisArg: unknown, args: unknown[]): Promise<unknown> {
  return submitImpl(limiter, fn, thisArg, args);
}
