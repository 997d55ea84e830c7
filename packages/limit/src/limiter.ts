import { CancelledError } from '@lf/scope';
import { noop } from './deferred.js';
import { LinkedQueue, checkFunction, checkNumber, checkSignal, onAbort, readOptions } from '@lf/scope/internal';
import { WaitQueue, type Queued } from './wait-queue.js';
import { checkLimit, readSignalOptions, type SignalOptions } from './signal-options.js';

/** What a {@link Limiter.schedule} callback receives. @category Limits */
export interface ScheduleContext {
  /** The `signal` passed to `schedule` (`undefined` if none): watch it to stop running work. */
  readonly signal: AbortSignal | undefined;
}

/** Gives a slot taken by {@link Limiter.acquire} back. Calling it again does nothing. @category Limits */
export type Release = () => void;

/** Any function, as the queue stores it. */
type Callable = (this: unknown, ...args: unknown[]) => unknown;

/**
 * A queued call or `acquire`. Its grant is a promise whose reaction was
 * registered by the caller (`grant.then(start)` inside `run`), so `fn` runs in
 * that reaction: in the async context (AsyncLocalStorage) of the code that
 * queued it, never on the stack of whoever freed the slot (p-limit's
 * technique, standard promises only). Kept small: a burst of queued calls
 * holds one of these each, and its size is the garbage collector's work.
 */
class Waiter implements Queued<Waiter> {
  declare prev: Waiter | null;
  declare next: Waiter | null;
  declare where: 0 | 1 | 2 | 3;
  /** Grants the slot (resolves), or rejects the wait (resolves a rejected promise). */
  declare resolve: (value: undefined | PromiseLike<undefined>) => void;
  /** Removes the abort listener of a call queued with a signal. */
  declare off: (() => void) | undefined;
  /** The queued call (unused for an `acquire`). */
  declare fn: Callable;
  declare thisArg: unknown;
  /**
   * The arguments, or `null` for a call of one argument, kept in `arg`. perf: a one-argument call
   * keeps its argument, not an array (28 bytes less held per queued call: benchmarks/RESULTS.md,
   * "heap retained per call" and "Limiter.run with 1e+3 calls queued at once").
   */
  declare args: unknown[] | null;
  declare arg: unknown;
  /** The signal it waits with (kept to listen again if it is put back in the queue). */
  declare signal: AbortSignal | undefined;
  declare readonly priority: number;
  constructor(fn: Callable, thisArg: unknown, args: unknown[] | null, arg: unknown, signal: AbortSignal | undefined, priority: number) {
    // perf: plain stores, not class fields (one Waiter per queued call: benchmarks/RESULTS.md,
    // "Limiter.run with 1e+3 calls queued at once").
    this.prev = null;
    this.next = null;
    this.where = 0;
    this.resolve = noop;
    this.off = undefined;
    this.fn = fn;
    this.thisArg = thisArg;
    this.args = args;
    this.arg = arg;
    this.signal = signal;
    this.priority = priority;
  }
}

/**
 * The promise of `node`'s grant; `node.resolve` settles it. perf: the executor is a closure over
 * `node`, not a shared function that reads its target from a module variable: storing each new
 * (young) waiter in that long-lived (old) variable took the slow path of V8's write barrier once
 * per queued call; the closure does not outlive the constructor call (benchmarks/RESULTS.md,
 * "Limiter.run with 1e+3 calls queued at once").
 */
function grantOf(node: Waiter): Promise<undefined> {
  return new Promise<undefined>((resolve) => {
    node.resolve = resolve;
  });
}

/** Settles a queued call's wait with a rejection. */
function rejectWaiter(node: Waiter, reason: unknown): void {
  node.resolve(Promise.reject(reason));
}

const WAIT_OPTIONS = ['signal', 'priority'] as const;
const NO_ARGS: unknown[] = [];

/** Options of {@link Limiter.schedule} and {@link Limiter.acquire}. @category Limits */
export interface ScheduleOptions extends SignalOptions {
  /**
   * Higher starts first; FIFO among equal priorities. Any finite number;
   * default 0. Only orders the queue: a call that finds a free slot starts
   * at once, whatever its priority.
   */
  priority?: number | undefined;
}

/** Reads `{ signal, priority }` once and checks both. */
function readWaitOptions(fnName: string, options: unknown): { signal: AbortSignal | undefined; priority: number } {
  if (options === undefined) return NO_WAIT_OPTIONS;
  const o = readOptions(fnName, options, WAIT_OPTIONS);
  const signal = o.signal;
  checkSignal(signal);
  const priority = o.priority === undefined ? 0 : checkNumber(o.priority, 'priority');
  return { signal, priority };
}

const NO_WAIT_OPTIONS = Object.freeze({ signal: undefined, priority: 0 });

/** Someone waiting for the queue to shrink below `below` (`onEmpty`: 1). */
interface SizeWaiter {
  readonly below: number;
  readonly resolve: () => void;
}

/**
 * The wait of `onIdle` / `onEmpty` / `onSizeLessThan`: `entry(resolve)` joins
 * `waiters` (whoever settles the wait calls its `resolve`); with a signal, an
 * abort takes it out and rejects with the reason, and settling removes the
 * abort listener.
 */
function waitIn<T>(waiters: Set<T>, entry: (resolve: () => void) => T, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal === undefined) {
      waiters.add(entry(resolve));
      return;
    }
    const waiter = entry(() => {
      off();
      resolve();
    });
    const off = onAbort(signal, (reason) => {
      waiters.delete(waiter);
      reject(reason);
    });
    waiters.add(waiter);
  });
}

let submitImpl: (limiter: Limiter, fn: Callable, thisArg: unknown, args: unknown[]) => Promise<unknown>;

/**
 * Runs at most `limit` calls at a time; the others wait in a queue and
 * start as slots free up: the highest `priority` first, FIFO among equals
 * (O(1) per operation at the default priority, O(log n) with others).
 * Python's `asyncio.Semaphore` / p-limit / p-queue, with a settable limit,
 * cancellable waiting, `pause`/`resume`, `clearQueue` that rejects what it
 * drops, and `onIdle` / `onEmpty` / `onSizeLessThan` to wait on.
 *
 * - `run(fn, ...args)` starts `fn` at once (synchronously) when a slot is
 *   free, else queues it. A sync `fn` becomes async; a sync throw rejects the
 *   returned promise and frees the slot.
 * - `schedule(fn, { signal })` is `run` with a signal: a queued call whose
 *   signal aborts leaves the queue at once and rejects with `signal.reason`;
 *   a started one receives the signal (`fn({ signal })`) and must honour it.
 * - `acquire({ signal })` takes a slot yourself and resolves a release function.
 * - `pause()`: nothing new starts (running work goes on) until `resume()`.
 * - A queued call runs in the async context (e.g. `AsyncLocalStorage`) of
 *   the code that queued it, not of the call that freed its slot.
 *
 * @example
 * ```ts
 * const limiter = new Limiter(2);
 * const double = async (n: number) => n * 2;
 * const results = await Promise.all([1, 2, 3, 4].map((n) => limiter.run(double, n)));
 * limiter.limit = 8;          // raising it starts queued calls at once
 * await limiter.onIdle();     // nothing running, nothing queued
 * ```
 * @category Limits
 */
export class Limiter {
  #limit: number;
  #active = 0;
  readonly #queue = new WaitQueue<Waiter>();
  /**
   * Waiters granted a slot whose reaction (`#start`, `#granted`) has not run
   * yet, in grant order: a grant resolves its promise with `undefined` and
   * the reactions run in the order of the grants (one reaction per grant
   * promise, registered when it was made), so each takes the head. perf:
   * resolving with the waiter itself made V8 look up a `then` on it per call
   * (benchmarks/RESULTS.md, "Limiter.run with 1e+3 calls queued at once").
   */
  readonly #handed = new LinkedQueue<Waiter>();
  #idle: Set<() => void> | null = null;
  #sizeWaiters: Set<SizeWaiter> | null = null;
  #paused = false;
  readonly #onFulfilled = (value: unknown): unknown => {
    this.#release();
    return value;
  };
  readonly #onRejected = (error: unknown): never => {
    this.#release();
    throw error;
  };

  /**
   * perf: one Waiter that lives as long as the class, so the Waiter's hidden class (V8 map) does too.
   * V8 holds a map only through its live objects: when a full GC finds no Waiter alive (every burst
   * drained), the map dies and every optimized function that embeds it (the whole queued-call path)
   * is thrown away ("deopt: weak objects") and recompiled during the next burst: 7% of the
   * instructions of a burst of 1e5 calls (valgrind, 392M -> 364M), and more wall time on a loaded
   * machine, where the recompilation waits for a core (benchmarks/RESULTS.md, "Limiter.run with 1e+3
   * calls queued at once"). Its `arg` holds an object so the field is already general (any later
   * value fits in place).
   */
  // eslint-disable-next-line no-unused-private-class-members -- held, never read: see above
  static readonly #shape: Waiter = new Waiter(noop, undefined, null, {}, undefined, 0);

  static {
    submitImpl = (limiter, fn, thisArg, args) =>
      args.length === 1 ? limiter.#submit(fn, thisArg, null, args[0]) : limiter.#submit(fn, thisArg, args, undefined);
  }

  /**
   * @param limit - how many calls may run at once: an integer >= 1, or `Infinity`.
   * @throws RangeError when `limit` is < 1, NaN or not an integer; TypeError when it is not a number.
   */
  constructor(limit: number) {
    this.#limit = checkLimit(limit, 'limit');
  }

  /**
   * How many calls may run at once. Settable at any time: raising it hands
   * free slots to queued calls at once (synchronously: `activeCount` counts
   * them; each starts on the next microtask, in its own caller's async
   * context); lowering it lets running calls finish and starts nothing new
   * until fewer than `limit` run.
   */
  get limit(): number {
    return this.#limit;
  }

  set limit(value: number) {
    this.#limit = checkLimit(value, 'limit');
    this.#fill();
  }

  /** Calls running now (and slots held through `acquire`, or granted to a queued call about to start). */
  get activeCount(): number {
    return this.#active;
  }

  /** Calls (and `acquire`s) waiting in the queue. */
  get pendingCount(): number {
    return this.#queue.size;
  }

  /** True between `pause()` and `resume()`. */
  get isPaused(): boolean {
    return this.#paused;
  }

  /**
   * Starts nothing new until `resume()`: calls and `acquire`s queue (even
   * when a slot is free); running calls and held slots are not touched.
   * Calling it again does nothing.
   *
   * @example
   * ```ts
   * const limiter = new Limiter(4);
   * limiter.pause();
   * const result = limiter.run(() => 'later'); // queued, although a slot is free
   * limiter.pendingCount; // 1
   * limiter.resume();     // starts it
   * await result;         // 'later'
   * ```
   */
  pause(): void {
    this.#paused = true;
  }

  /** Lets queued work start again after `pause()` (at once, up to `limit`). Does nothing when not paused. */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#fill();
  }

  /**
   * Calls `fn(...args)` when a slot is free (at once if one is) and settles
   * like it. The slot is held until the returned promise of `fn` settles.
   *
   * @throws TypeError (synchronously) when `fn` is not a function.
   * @example
   * ```ts
   * const limiter = new Limiter(3);
   * const size = async (name: string) => name.length;
   * const sizes = await Promise.all(['a', 'bb', 'ccc'].map((f) => limiter.run(size, f)));
   * ```
   */
  run<A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A): Promise<Awaited<R>>;
  run(fn: Callable, arg?: unknown): Promise<unknown> {
    // perf: the check inline, its call only on bad input; and no rest array for a call of one
    // argument: `arguments`, read by index and length only, is never materialized (benchmarks/RESULTS.md,
    // "Limiter.run with 1e+3 calls queued at once").
    if (typeof fn !== 'function') checkFunction(fn, 'fn');
    /* eslint-disable prefer-rest-params -- perf, see above */
    if (arguments.length === 2) return this.#submit(fn, undefined, null, arg);
    const args: unknown[] = [];
    for (let i = 1; i < arguments.length; i++) args.push(arguments[i]);
    /* eslint-enable prefer-rest-params */
    return this.#submit(fn, undefined, args, undefined);
  }

  /**
   * Like `run`, with a signal: while the call is queued, aborting `signal`
   * removes it from the queue and rejects with `signal.reason` (it never
   * runs, never takes a slot). Once started, `fn` receives `{ signal }`
   * and is responsible for stopping; the promise settles like `fn`.
   *
   * @throws TypeError (synchronously) for a non-function `fn`, a bad `signal`
   *   or an unknown option name.
   * @example
   * ```ts
   * const limiter = new Limiter(1);
   * const controller = new AbortController();
   * void limiter.run(() => new Promise((r) => setTimeout(r, 50)));   // holds the slot
   * const queued = limiter.schedule(({ signal }) => signal, { signal: controller.signal });
   * controller.abort(new Error('not needed'));   // still queued: rejects now, never runs
   * await queued.catch((e: Error) => e.message); // 'not needed'
   * ```
   */
  schedule<R>(fn: (ctx: ScheduleContext) => R | PromiseLike<R>, options?: ScheduleOptions): Promise<Awaited<R>> {
    checkFunction(fn, 'fn');
    const { signal, priority } = readWaitOptions('Limiter.schedule', options);
    if (signal?.aborted === true) return Promise.reject(signal.reason as unknown);
    const ctx: ScheduleContext = { signal };
    if (this.#active < this.#limit && !this.#paused) {
      this.#active++;
      return this.#call(fn as Callable, undefined, null, ctx) as Promise<Awaited<R>>;
    }
    return this.#wait(new Waiter(fn as Callable, undefined, null, ctx, signal, priority)).then(this.#start) as Promise<Awaited<R>>;
  }

  /**
   * Takes a slot yourself: resolves a `release` function once a slot is
   * yours. Call it exactly when done (extra calls do nothing). While
   * queued, aborting `signal` removes the request and rejects with
   * `signal.reason`; it never occupies a slot.
   *
   * @throws TypeError (synchronously) for a bad `signal` or an unknown option name.
   * @example
   * ```ts
   * const limiter = new Limiter(1);
   * const release = await limiter.acquire({ signal: AbortSignal.timeout(1000) });
   * try {
   *   // ... use the resource the limiter guards
   * } finally {
   *   release();
   * }
   * ```
   */
  acquire(options?: ScheduleOptions): Promise<Release> {
    const { signal, priority } = readWaitOptions('Limiter.acquire', options);
    if (signal?.aborted === true) return Promise.reject(signal.reason as unknown);
    if (this.#active < this.#limit && !this.#paused) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    return this.#wait(new Waiter(noop, undefined, NO_ARGS, undefined, signal, priority)).then(this.#granted);
  }

  /**
   * Rejects every queued (not yet started) call and `acquire` with `reason`
   * (default: a `CancelledError`). Running calls are not touched.
   *
   * @example
   * ```ts
   * const limiter = new Limiter(1);
   * void limiter.run(() => new Promise((r) => setTimeout(r, 10)));
   * const queued = limiter.run(() => 'never').catch((e: Error) => e.message);
   * limiter.clearQueue(new Error('shutting down'));
   * await queued;           // 'shutting down'
   * await limiter.onIdle(); // only the running call was left
   * ```
   */
  clearQueue(reason: unknown = new CancelledError('The limiter queue was cleared')): void {
    for (const node of this.#queue.takeAll()) {
      if (node.off !== undefined) node.off();
      node.off = undefined;
      rejectWaiter(node, reason);
    }
    this.#shrunk();
  }

  /**
   * Resolves when nothing runs and nothing is queued (at once if so now).
   * With a `signal`, rejects with `signal.reason` when it aborts first.
   *
   * @example
   * ```ts
   * const limiter = new Limiter(2);
   * for (const ms of [10, 20, 30]) void limiter.run(() => new Promise((r) => setTimeout(r, ms)));
   * await limiter.onIdle();
   * ```
   */
  onIdle(options?: SignalOptions): Promise<void> {
    const signal = readSignalOptions('Limiter.onIdle', options);
    if (signal?.aborted === true) return Promise.reject(signal.reason as unknown);
    if (this.#active === 0 && this.#queue.size === 0) return Promise.resolve();
    return waitIn((this.#idle ??= new Set()), (resolve) => resolve, signal);
  }

  /**
   * Resolves when the queue is empty (at once if it is now): every queued
   * call has started or left. Running work may remain (see `onIdle`).
   * With a `signal`, rejects with `signal.reason` when it aborts first.
   *
   * @example
   * ```ts
   * const limiter = new Limiter(2);
   * for (let i = 0; i < 5; i++) void limiter.run(() => new Promise((r) => setTimeout(r, 10)));
   * await limiter.onEmpty(); // the last call has started
   * ```
   */
  onEmpty(options?: SignalOptions): Promise<void> {
    const signal = readSignalOptions('Limiter.onEmpty', options);
    return this.#whenSizeBelow(1, signal);
  }

  /**
   * Resolves when fewer than `n` calls are queued (at once if so now): the
   * producer's backpressure, `await limiter.onSizeLessThan(100)` before
   * queueing more. With a `signal`, rejects with `signal.reason` when it
   * aborts first.
   *
   * @param n - an integer >= 1, or `Infinity`.
   * @throws TypeError / RangeError (synchronously) for a bad `n` or `signal`.
   * @example
   * ```ts
   * const limiter = new Limiter(4);
   * for (let i = 0; i < 1000; i++) {
   *   await limiter.onSizeLessThan(10); // never more than 10 queued
   *   void limiter.run(async () => i * 2);
   * }
   * await limiter.onIdle();
   * ```
   */
  onSizeLessThan(n: number, options?: SignalOptions): Promise<void> {
    const below = checkNumber(n, 'n', { min: 1, integer: true, allowInfinity: true });
    const signal = readSignalOptions('Limiter.onSizeLessThan', options);
    return this.#whenSizeBelow(below, signal);
  }

  #whenSizeBelow(below: number, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as unknown);
    if (this.#queue.size < below) return Promise.resolve();
    return waitIn((this.#sizeWaiters ??= new Set()), (resolve) => ({ below, resolve }), signal);
  }

  /** `args` `null`: a call of the one argument `arg`. */
  #submit(fn: Callable, thisArg: unknown, args: unknown[] | null, arg: unknown): Promise<unknown> {
    if (this.#active < this.#limit && !this.#paused) {
      this.#active++;
      return this.#call(fn, thisArg, args, arg);
    }
    return this.#wait(new Waiter(fn, thisArg, args, arg, undefined, 0)).then(this.#start);
  }

  /** Calls `fn` in a slot already counted in `#active`; the slot is freed when it settles. */
  #call(fn: Callable, thisArg: unknown, args: unknown[] | null, arg: unknown): Promise<unknown> {
    let result: unknown;
    try {
      result = args === null ? fn.call(thisArg, arg) : fn.apply(thisArg, args);
    } catch (error) {
      this.#release();
      return Promise.reject(error);
    }
    // Promise.resolve adopts a thenable exactly as `await` would (a throwing `then`
    // rejects, a second callback is ignored).
    return Promise.resolve(result).then(this.#onFulfilled, this.#onRejected);
  }

  /**
   * A call that must wait is `#wait(node).then(#start)`: the returned
   * promise is the reaction to its grant, registered in the caller's frame,
   * so `fn` starts in the caller's async context. perf: no async frame and
   * no closure per call (an async function per queued call measured 2-3x
   * slower with 1e5 calls queued at once).
   */
  /** Starts a granted call in the slot it was handed; settles like `fn`. */
  readonly #start = (): unknown => {
    const node = this.#takeHanded();
    if (this.#mustWait()) return this.#putBack(node).then(this.#start);
    return this.#call(node.fn, node.thisArg, node.args, node.arg);
  };

  /** A granted `acquire`: its release function. */
  readonly #granted = (): Release | Promise<Release> => {
    const node = this.#takeHanded();
    if (this.#mustWait()) return this.#putBack(node).then(this.#granted);
    return this.#releaser();
  };

  /** The waiter of the grant whose reaction runs now (see `#handed`). */
  #takeHanded(): Waiter {
    const node = this.#handed.shift();
    if (node === null) throw new Error('Limiter: a grant reaction ran without its waiter (a bug in @lf/limit)');
    return node;
  }

  /**
   * True when a waiter granted a slot must not take it after all: since the
   * grant (a microtask ago) the limit was lowered below the running count,
   * or the limiter was paused.
   */
  #mustWait(): boolean {
    return this.#active > this.#limit || this.#paused;
  }

  /** Gives a granted slot back and queues its waiter again, first in line. */
  #putBack(node: Waiter): Promise<undefined> {
    this.#active--;
    const signal = node.signal;
    if (signal?.aborted === true) {
      this.#checkIdle();
      return Promise.reject(signal.reason as unknown);
    }
    const promise = grantOf(node);
    this.#queue.pushFront(node);
    this.#listen(node);
    return promise;
  }

  /** Queues a waiter: resolves once a slot is granted to it, rejects on abort or `clearQueue`. */
  #wait(node: Waiter): Promise<undefined> {
    const promise = grantOf(node);
    this.#queue.push(node);
    this.#listen(node);
    return promise;
  }

  /** While queued, an abort of the waiter's signal removes it and rejects it with the reason. */
  #listen(node: Waiter): void {
    if (node.signal === undefined) return;
    node.off = onAbort(node.signal, (reason) => {
      this.#queue.remove(node);
      node.off = undefined;
      rejectWaiter(node, reason);
      this.#shrunk();
    });
  }

  /** Grants `node`, just taken from the queue, the slot it is handed (already counted in `#active`). */
  #grant(node: Waiter): void {
    if (node.off !== undefined) {
      node.off();
      node.off = undefined;
    }
    this.#handed.push(node);
    node.resolve(undefined);
    if (this.#sizeWaiters !== null) this.#checkSize();
  }

  /** Hands free slots to queued waiters (after the limit was raised). */
  #fill(): void {
    let node: Waiter | null;
    while (this.#active < this.#limit && !this.#paused && (node = this.#queue.shift()) !== null) {
      this.#active++;
      this.#grant(node);
    }
  }

  /** Frees one slot, or hands it straight to the head of the queue. */
  #release(): void {
    if (this.#active <= this.#limit && !this.#paused) {
      // perf: one shift, not head() then remove() (benchmarks/RESULTS.md, "Limiter.run with 1e+3 calls queued at once").
      const next = this.#queue.shift();
      if (next !== null) {
        this.#grant(next);
        return;
      }
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

  /** The queue lost waiters without granting them (abort, clearQueue): wake whoever waits on its size. */
  #shrunk(): void {
    if (this.#sizeWaiters !== null) this.#checkSize();
    this.#checkIdle();
  }

  #checkSize(): void {
    const waiters = this.#sizeWaiters;
    if (waiters === null) return;
    const size = this.#queue.size;
    for (const waiter of waiters) {
      if (size < waiter.below) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
    if (waiters.size === 0) this.#sizeWaiters = null;
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
 * await limiter.run(async () => 'uploaded');
 * ```
 * @category Limits
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
