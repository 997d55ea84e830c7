import { now } from '@lf/scope';
import { checkFunction, checkNumber, checkOptions, checkSignal, onAbort, setTimer } from '@lf/scope/internal';

/**
 * Options of {@link RateLimiter}.
 *
 * @example
 * ```ts
 * const options: RateLimiterOptions = { limit: 100, interval: 60_000 }; // 100 per minute
 * ```
 */
export interface RateLimiterOptions {
  /** Most starts allowed in any window of `interval` ms. An integer >= 1. */
  limit: number;
  /** Length of the sliding window in ms. Finite, >= 0. */
  interval: number;
}

/**
 * Options of {@link RateLimiter.acquire} and {@link RateLimiter.call}.
 *
 * @example
 * ```ts
 * await limiter.acquire({ signal: AbortSignal.timeout(1000) } satisfies AcquireOptions);
 * ```
 */
export interface AcquireOptions {
  /** Abort the wait: the call rejects with `signal.reason` and gives its slot back. */
  signal?: AbortSignal | undefined;
}

/**
 * The least lateness (ms) that counts as a stall rather than timer jitter
 * (see `RateLimiter`'s "Late timers"): a limiter tolerates `max(interval, STALL)`.
 */
const STALL = 10;

/** A queued `acquire()`: a node of the doubly linked FIFO (O(1) removal on abort). */
interface Waiter {
  /** Clock time of the request: the earliest slot it may get. */
  readonly since: number;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  /** The waiter's signal: checked again when its slot comes (another waiter's abort listener may run first). */
  readonly signal: AbortSignal | undefined;
  /** Removes the abort listener; `undefined` when the waiter has no signal. */
  off: (() => void) | undefined;
  /** In the queue (false once admitted, aborted or removed). */
  queued: boolean;
  prev: Waiter | undefined;
  next: Waiter | undefined;
}

/**
 * A strict sliding-window rate limiter: at most `limit` starts in ANY window
 * of `interval` ms, with no burst at a window's edge.
 *
 * It remembers the slots of the last `limit` admissions (a ring buffer) and
 * gives the next waiter the slot `max(requestTime, oldestOfThem + interval)`.
 * Slots are absolute times on the `performance.now()` clock, never "delay from
 * when the timer fired", so the schedule does not drift. Waiters are served in
 * FIFO order; an aborted waiter leaves at once and its slot goes to the next
 * one. At most one timer runs, and only while someone waits.
 *
 * @example
 * ```ts
 * const limiter = new RateLimiter({ limit: 10, interval: 1000 }); // 10 per second
 * const get = limiter.wrap((url: string) => fetch(url));
 * const pages = await Promise.all(urls.map((url) => get(url)));
 * ```
 */
export class RateLimiter {
  /** Most starts in any window of `interval` ms. */
  readonly limit: number;
  /** Window length in ms. */
  readonly interval: number;

  /** Lateness beyond which a slot counts as stalled and the schedule moves: `max(interval, 10 ms)`. */
  readonly #stall: number;
  /** Slots of the last `limit` admissions; grows up to `limit`, then wraps. */
  readonly #slots: number[] = [];
  /** Index in `#slots` of the oldest admission once the ring is full. */
  #oldest = 0;
  #head: Waiter | undefined = undefined;
  #tail: Waiter | undefined = undefined;
  #pending = 0;
  /** Cancels the one timer; set only while someone waits. */
  #cancelTimer: (() => void) | undefined = undefined;
  readonly #fire = (): void => {
    this.#cancelTimer = undefined;
    this.#pump();
  };

  /**
   * @throws TypeError when `options` is not an object or a value is not a number;
   * RangeError when `limit` is not an integer >= 1 or `interval` is negative or not finite.
   */
  constructor(options: RateLimiterOptions) {
    const raw = options as RateLimiterOptions | undefined;
    if (raw === undefined) throw new TypeError('options must be an object (got undefined)');
    checkOptions(raw);
    this.limit = checkNumber(options.limit, 'limit', { min: 1, integer: true });
    this.interval = checkNumber(options.interval, 'interval', { min: 0 });
    this.#stall = Math.max(this.interval, STALL);
  }

  /** How many `acquire()` calls are waiting for their slot. */
  get pending(): number {
    return this.#pending;
  }

  /**
   * Waits for the next slot (FIFO). Resolves at once when a slot is free.
   * With `signal`, rejects with `signal.reason` as soon as it aborts, leaves the
   * queue and gives its slot back (no start is recorded for it).
   *
   * @example
   * ```ts
   * await limiter.acquire({ signal: AbortSignal.timeout(5000) });
   * await send(message);
   * ```
   */
  acquire(options?: AcquireOptions): Promise<void> {
    checkOptions(options);
    const signal = options?.signal;
    checkSignal(signal);
    if (signal?.aborted === true) return Promise.reject(signal.reason as unknown);
    return this.#enqueue(signal);
  }

  /**
   * Waits for a slot, then calls `fn` and settles with its result. A sync `fn`
   * becomes async (it must wait for its slot). The signal covers the wait only:
   * once `fn` has started, the call settles with `fn`'s outcome.
   *
   * @example
   * ```ts
   * const user = await limiter.call(() => api.getUser(id), { signal });
   * ```
   */
  call<R>(fn: () => R | PromiseLike<R>, options?: AcquireOptions): Promise<Awaited<R>> {
    checkFunction(fn, 'fn');
    const signal = options?.signal;
    return this.acquire(options).then(() => {
      signal?.throwIfAborted(); // aborted between the slot and this callback: fn does not start
      return fn();
    }) as Promise<Awaited<R>>;
  }

  /**
   * Returns a function with `fn`'s parameters that waits for a slot, then calls
   * `fn` with the same `this` and arguments, and returns a Promise of its result.
   *
   * @example
   * ```ts
   * const search = limiter.wrap(async (query: string) => (await fetch(`/q?${query}`)).json());
   * await search('lf'); // (query: string) => Promise<any>
   * ```
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- `any[]` is the only bound that accepts every parameter list (unknown[] rejects functions with typed parameters)
  wrap<F extends (...args: any[]) => unknown>(fn: F): (...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>> {
    checkFunction(fn, 'fn');
    const enqueue = (): Promise<void> => this.#enqueue(undefined);
    const wrapped = function (this: unknown, ...args: Parameters<F>): Promise<Awaited<ReturnType<F>>> {
      return enqueue().then(() => fn.apply(this, args)) as Promise<Awaited<ReturnType<F>>>;
    };
    Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true });
    return wrapped;
  }

  /** The slot a request made at `since` gets: the window must have room for it. */
  #slotFor(since: number): number {
    const oldest = this.#slots.length < this.limit ? undefined : this.#slots[this.#oldest];
    if (oldest === undefined) return since;
    const free = oldest + this.interval;
    return free > since ? free : since;
  }

  /** Records an admission at `slot` (slots are non-decreasing, so the ring stays in age order). */
  #record(slot: number): void {
    const slots = this.#slots;
    if (slots.length < this.limit) {
      slots.push(slot);
      return;
    }
    slots[this.#oldest] = slot;
    this.#oldest = this.#oldest + 1 === this.limit ? 0 : this.#oldest + 1;
  }

  #enqueue(signal: AbortSignal | undefined): Promise<void> {
    const time = now();
    if (this.#head === undefined) {
      const slot = this.#slotFor(time);
      if (slot <= time) {
        this.#record(slot);
        return Promise.resolve();
      }
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        since: time,
        resolve,
        reject,
        signal,
        off: undefined,
        queued: true,
        prev: this.#tail,
        next: undefined,
      };
      if (this.#tail === undefined) this.#head = waiter;
      else this.#tail.next = waiter;
      this.#tail = waiter;
      this.#pending++;
      if (signal !== undefined) {
        waiter.off = onAbort(signal, (reason) => {
          if (!waiter.queued) return; // already served or turned away by #pump
          this.#leave(waiter);
          reject(reason);
        });
      }
      if (waiter === this.#head) this.#arm(this.#slotFor(time) - time);
    });
  }

  /** Removes an aborted waiter; if it was first in line, the next one gets its slot. */
  #leave(waiter: Waiter): void {
    const wasHead = waiter === this.#head;
    this.#unlink(waiter);
    if (wasHead) {
      this.#cancelTimer?.();
      this.#cancelTimer = undefined;
      this.#pump();
    }
  }

  #unlink(waiter: Waiter): void {
    if (waiter.prev === undefined) this.#head = waiter.next;
    else waiter.prev.next = waiter.next;
    if (waiter.next === undefined) this.#tail = waiter.prev;
    else waiter.next.prev = waiter.prev;
    waiter.prev = waiter.next = undefined;
    waiter.queued = false;
    this.#pending--;
  }

  /** Admits every waiter whose slot has come, then arms one timer for the next slot. */
  #pump(): void {
    const time = now();
    for (let waiter = this.#head; waiter !== undefined; waiter = this.#head) {
      const signal = waiter.signal;
      if (signal?.aborted === true) {
        // Aborted, but its own listener has not run yet (another waiter's on the
        // same signal ran first): it leaves without taking a slot.
        this.#unlink(waiter);
        waiter.off?.();
        waiter.reject(signal.reason);
        continue;
      }
      const slot = this.#slotFor(waiter.since);
      if (slot > time) {
        this.#arm(slot - time);
        return;
      }
      // Jitter keeps the slot on the absolute schedule (no drift); a stall moves
      // the schedule to now instead of releasing every overdue slot at once.
      this.#record(time - slot > this.#stall ? time : slot);
      this.#unlink(waiter);
      waiter.off?.();
      waiter.resolve();
    }
  }

  #arm(delay: number): void {
    this.#cancelTimer = setTimer(delay, this.#fire);
  }
}
