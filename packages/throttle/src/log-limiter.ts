import { now } from '@lf/scope';
import { LinkedQueue, checkFunction, checkNumber, checkSignal, onAbort, readOptions, setTimer, yieldToEventLoop } from '@lf/scope/internal';
import type { Linked } from '@lf/scope/internal';
import type { CostParser } from './cost.js';
import type { Cost, Grant, NamedLimits } from './limits.js';
import type { AcquireOptions, WrapOptions } from './rate-limiter.js';
import { WindowLog } from './window-log.js';

const ACQUIRE_NAMES = ['signal', 'cost'] as const;
const WRAP_NAMES = ['cost'] as const;

/** A queued request: a node of the FIFO (O(1) removal on abort). */
interface Waiter extends Linked<Waiter> {
  readonly costs: readonly number[];
  readonly resolve: (grant: Grant) => void;
  readonly reject: (reason: unknown) => void;
  /** Checked again when its turn comes (another registration on the same signal may run first). */
  readonly signal: AbortSignal | undefined;
  /** Removes the abort listener; `undefined` without a signal. */
  off: (() => void) | undefined;
}

/**
 * The machinery of `RateLimiter` and `Throttle`, on limits already
 * parsed: a sliding log per limit ({@link WindowLog}), the FIFO of waiters, one
 * timer, `pause`, `Grant.settle`. `RateLimiter` parses `{ limit, interval }` or
 * named `limits` and validates costs against names; `Throttle` has one unnamed
 * limit and the smaller cost check that fits it, so `import { Throttle }`
 * carries no named-limit parsing.
 *
 * How it releases: it keeps a sliding log of the real release times (and
 * costs) of each limit. A request is released as soon as every limit's window
 * has room for its cost, at once when it has; otherwise one timer is armed for
 * the moment the window frees, and when it fires the clock is read again: a
 * late timer releases late, never in a burst, and its lateness never shifts a
 * schedule (there is none: only the log of what really happened). The public
 * guarantees are `RateLimiter`'s.
 *
 * @example
 * ```ts
 * // What RateLimiter is: the machinery on the limits and the cost check its options give.
 * class FivePerSecond extends LogLimiter {
 *   constructor() {
 *     super(parseLimits('FivePerSecond', { limit: 5, interval: 1000 }), parseCost);
 *   }
 * }
 * ```
 */
export class LogLimiter {
  readonly #limits: NamedLimits;
  /** Validates a cost against `#limits` (a single unnamed limit needs less code than named ones). */
  readonly #parseCost: CostParser;
  readonly #logs: WindowLog[];
  /** The default cost (1 for every limit). */
  readonly #ones: readonly number[];
  readonly #queue = new LinkedQueue<Waiter>();
  /** Nothing is released before this time (see `pause`). */
  #pausedUntil = -Infinity;
  /** Sequence number of the next grant (the same in every log: every grant logs in each). */
  #seq = 0;
  /** Cancels the one timer; set only while someone waits. */
  #cancelTimer: (() => void) | undefined = undefined;
  readonly #fire = (): void => {
    this.#cancelTimer = undefined;
    this.#pump();
  };
  /**
   * True from a release until its continuation has run (two microtask turns):
   * the release is re-stamped just before its continuation runs (see `#hop`),
   * and the next release is decided only then, on a fresh clock reading, so a
   * continuation that blocks the loop delays the releases after it instead of
   * letting them start late inside a window they were counted out of.
   */
  #busy = false;
  readonly #resume = (): void => {
    this.#busy = false;
    if (this.#queue.head !== null) this.#pump();
  };
  readonly #hop = (): void => {
    // The first microtask after the release: the code that was running when it was decided (the caller's
    // own synchronous code after `acquire()`, which may take milliseconds on a loaded machine) has finished,
    // and the release's continuation is the next job. Counting the release from now, not from its decision,
    // keeps the real starts a full window apart. On an idle machine the two readings are microseconds apart.
    const t = now();
    for (const log of this.#logs) log.restampLast(t);
    queueMicrotask(this.#resume);
  };
  /** What every Grant's `settle` calls: validates, then replaces the grant's costs. */
  readonly #settle = (seq: number, cost: Cost): void => {
    this.#settleCosts(seq, this.#parseCost('Grant.settle', cost, this.#limits, true));
  };

  /** `limits` parsed and validated (see `parseLimits`), `parseCost` the cost validator that fits them. */
  constructor(limits: NamedLimits, parseCost: CostParser) {
    this.#limits = limits;
    this.#parseCost = parseCost;
    this.#logs = limits.map((l) => new WindowLog(l.limit, l.interval));
    this.#ones = Object.freeze(limits.map(() => 1));
  }

  /** How many `acquire()` (and `call`, wrapped) requests are waiting for their release. */
  get pendingCount(): number {
    return this.#queue.size;
  }

  /**
   * Waits for the release (FIFO), then resolves a {@link Grant}: `at` is the
   * release time on the `performance.now()` clock, `settle(cost)` corrects the
   * recorded cost. Resolves at once when the windows have room and nobody waits.
   * With `signal`, rejects with `signal.reason` as soon as it aborts, leaves the
   * queue and consumes nothing (the next waiter may go at once).
   *
   * @throws TypeError / RangeError (synchronously) for bad options or a bad `cost`,
   * including a cost above a limit (it could never be released).
   *
   * @example
   * ```ts
   * const grant = await limiter.acquire({ signal: AbortSignal.timeout(5000), cost: 2 });
   * await send(message);
   * ```
   */
  acquire(options?: AcquireOptions): Promise<Grant> {
    const o = readOptions('RateLimiter.acquire', options, ACQUIRE_NAMES);
    const signal = o.signal;
    checkSignal(signal);
    const costs = o.cost === undefined ? this.#ones : this.#parseCost('RateLimiter.acquire', o.cost, this.#limits);
    return this.#request(costs, signal);
  }

  /**
   * Waits for the release, then calls `fn` and settles with its result. A sync
   * `fn` becomes async. `fn` runs in the async context of the caller (e.g. its
   * `AsyncLocalStorage` store), not of whatever freed the window. The signal
   * covers the wait only: once `fn` has started, the call settles with `fn`'s
   * outcome; if it aborts between the release and the start, `fn` does not run
   * and the release is refunded.
   *
   * @example
   * ```ts
   * const user = await limiter.call(() => api.getUser(id), { signal, cost: 1 });
   * ```
   */
  call<R>(fn: () => R | PromiseLike<R>, options?: AcquireOptions): Promise<Awaited<R>> {
    checkFunction(fn, 'fn');
    const o = readOptions('RateLimiter.call', options, ACQUIRE_NAMES);
    const signal = o.signal;
    checkSignal(signal);
    const costs = o.cost === undefined ? this.#ones : this.#parseCost('RateLimiter.call', o.cost, this.#limits);
    // The continuation is attached here, in the caller's frame: it runs in the caller's async context.
    return this.#request(costs, signal).then((grant) => {
      if (signal?.aborted === true) {
        // Aborted between the release and this callback: fn does not start, the release is given back.
        grant.settle(0);
        throw signal.reason;
      }
      return fn();
    }) as Promise<Awaited<R>>;
  }

  /**
   * Returns a function with `fn`'s parameters that waits for a release, then
   * calls `fn` with the same `this` and arguments, and returns a Promise of its
   * result. `cost(...args)` gives each call's cost (default 1); if it throws or
   * returns a bad cost, that call rejects and nothing is consumed.
   *
   * @example
   * ```ts
   * const complete = limiter.wrap(chat, { cost: (prompt: string) => ({ tokens: prompt.length }) });
   * await complete('hello'); // (prompt: string) => Promise<...>
   * ```
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- `any[]` is the only bound that accepts every parameter list (unknown[] rejects functions with typed parameters)
  wrap<F extends (...args: any[]) => unknown>(
    fn: F,
    options?: WrapOptions<Parameters<F>>,
  ): (...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>> {
    checkFunction(fn, 'fn');
    const o = readOptions('RateLimiter.wrap', options, WRAP_NAMES);
    const costOf = o.cost as ((...args: Parameters<F>) => unknown) | undefined;
    checkFunction(costOf, 'cost', true);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the wrapped function has its own `this` (passed to fn)
    const self = this;
    const wrapped = function (this: unknown, ...args: Parameters<F>): Promise<Awaited<ReturnType<F>>> {
      let costs = self.#ones;
      if (costOf !== undefined) {
        try {
          costs = self.#parseCost('RateLimiter.wrap', costOf(...args), self.#limits);
        } catch (error) {
          return Promise.reject(error);
        }
      }
      return self.#request(costs, undefined).then(() => fn.apply(this, args)) as Promise<Awaited<ReturnType<F>>>;
    };
    Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true });
    return wrapped;
  }

  /**
   * Nothing is released before `now + ms` (one cooldown for every waiter, e.g. a
   * 429's Retry-After). A longer pause extends it; a shorter one never shortens
   * it; `pause(0)` changes nothing. Requests keep queueing meanwhile.
   *
   * @throws TypeError / RangeError naming `ms` when it is not a finite number >= 0.
   *
   * @example
   * ```ts
   * if (response.status === 429) limiter.pause(Number(response.headers.get('retry-after')) * 1000);
   * ```
   */
  pause(ms: number): void {
    checkNumber(ms, 'ms', { min: 0 });
    const until = now() + ms;
    if (until > this.#pausedUntil) this.#pausedUntil = until;
    // An armed timer fires at its old time, finds the pause, and re-arms for its end.
  }

  /** The earliest time `>= t` at which `costs` fit in every window and no pause holds. */
  #freeAt(costs: readonly number[], t: number): number {
    let at = this.#pausedUntil > t ? this.#pausedUntil : t;
    let i = 0;
    for (const log of this.#logs) {
      const free = log.freeAt(t, costs[i++] ?? 1);
      if (free > at) at = free;
    }
    return at;
  }

  /** Logs a release at `t` in every limit (all or none: the caller checked them all at `t`). */
  #grant(costs: readonly number[], t: number): Grant {
    let i = 0;
    for (const log of this.#logs) log.push(t, costs[i++] ?? 1);
    // Its continuation is queued on resolve (or attached right after a resolved acquire returns):
    // two hops later it has run, and the queue may move on.
    this.#busy = true;
    queueMicrotask(this.#hop);
    return new Release(t, this.#seq++, this.#settle);
  }

  /** Replaces the costs of grant `seq` in every log that still holds it. */
  #settleCosts(seq: number, costs: readonly number[]): void {
    let i = 0;
    for (const log of this.#logs) log.settle(seq, costs[i++] ?? 1);
    // A refund may let the head go now; an extra charge may hold it longer.
    if (this.#queue.head !== null) this.#pump();
  }

  #request(costs: readonly number[], signal: AbortSignal | undefined): Promise<Grant> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as unknown);
    if (this.#queue.head === null && !this.#busy) {
      const t = now(); // one reading: the decision and the recorded release use it
      if (this.#freeAt(costs, t) <= t) return Promise.resolve(this.#grant(costs, t));
    }
    return new Promise<Grant>((resolve, reject) => {
      const waiter: Waiter = { costs, resolve, reject, signal, off: undefined, prev: null, next: null };
      this.#queue.push(waiter);
      if (signal !== undefined) {
        waiter.off = onAbort(signal, (reason) => {
          this.#leave(waiter, reason);
        });
      }
      if (this.#queue.head === waiter) this.#pump();
    });
  }

  /** Pumps again on the next turn of the event loop (no 1 ms timer clamp); returns a cancel. */
  #nextTask(): () => void {
    let live = true;
    void yieldToEventLoop().then(() => {
      if (live) this.#fire();
    });
    return () => {
      live = false;
    };
  }

  /** An aborted waiter leaves; if it was first in line, the next one may go now. */
  #leave(waiter: Waiter, reason: unknown): void {
    if (!this.#queue.has(waiter)) return; // already released or turned away by #pump
    const wasHead = this.#queue.head === waiter;
    this.#queue.remove(waiter);
    waiter.off = undefined;
    waiter.reject(reason);
    if (wasHead) this.#pump();
  }

  /**
   * Releases the head if its turn has come (turning away aborted ones first),
   * or arms one timer for when it comes. One release per pass: the next pass
   * runs once that release's continuation has run (see `#busy`).
   */
  #pump(): void {
    if (this.#busy) return; // #resume pumps once the release in flight has started
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    const queue = this.#queue;
    const t = now(); // one reading: the decision and the recorded release use it
    for (let waiter = queue.head; waiter !== null; waiter = queue.head) {
      const signal = waiter.signal;
      if (signal?.aborted === true) {
        // Aborted, but its own listener has not run yet (another registration on
        // the same signal ran first): it leaves without being released.
        queue.remove(waiter);
        waiter.off?.();
        waiter.reject(signal.reason);
        continue;
      }
      const at = this.#freeAt(waiter.costs, t);
      if (at > t) {
        // Under a millisecond (often a timer that fired a little early): the next macrotask,
        // not a timer, which would fire a whole millisecond or more later.
        this.#cancelTimer = at - t < 1 ? this.#nextTask() : setTimer(at - t, this.#fire);
        return;
      }
      queue.remove(waiter);
      waiter.off?.();
      waiter.resolve(this.#grant(waiter.costs, t));
      return;
    }
  }
}

/** The {@link Grant} a `RateLimiter` or a `Throttle` resolves. */
class Release implements Grant {
  readonly at: number;
  /** Its entry in every window log of its limiter. */
  readonly #seq: number;
  readonly #settle: (seq: number, cost: Cost) => void;

  constructor(at: number, seq: number, settle: (seq: number, cost: Cost) => void) {
    this.at = at;
    this.#seq = seq;
    this.#settle = settle;
  }

  settle(cost: Cost): void {
    this.#settle(this.#seq, cost);
  }
}
