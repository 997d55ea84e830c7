/**
 * alcall's per-item pipeline, as named steps composed once per call (an
 * option that is off adds no step, no wrapper, no timer):
 *
 * ```
 * shifted( settled( limited( throttled( firstAttempt | retried ) ) ) )
 * ```
 *
 * - `firstAttempt`: one plain call of `fn` (no retry option changes anything);
 *   with a `rateLimiter`, its slot is acquired first;
 * - `retried`: `@lf/retry`'s loop, prepared once per call; the `rateLimiter`
 *   is acquired before EVERY attempt (a retry is a call too). When attempt 1
 *   needs nothing from the plan (no rate limiter, timeout or clock), it is
 *   `firstAttempt`'s plain call and the loop starts only on its failure
 *   (and, for alcall, the step reports its items' failures itself);
 * - `throttled`: `throttlePeriod` spaces the STARTS of items (a `Throttle`
 *   shared by every batch of a `bcall`);
 * - `limited`: a shared `limiter` slot held for the item's whole retry loop;
 * - `settled`: `settle: true` turns the item's outcome into a record;
 * - `shifted`: `bcall`'s index offset into the whole input.
 *
 * Order: an item first takes its `limiter` slot, then waits for its throttle
 * start, then runs its attempts, so the throttle spaces real starts.
 *
 * Signals: every wait (limiter, throttle, rate limiter, retry's backoff and
 * checks) listens to the call's ONE stop signal (aborted by the caller's
 * signal or, under `stopOnError`, by the first failure; lf's listeners on it
 * are multiplexed), while `fn` gets the item's own signal, made only when
 * `fn` reads it. perf: an AbortController costs ~2-20 µs in Node, more than
 * a trivial item; one per item made the retry path 14-40x the plain path
 * (benchmarks/RESULTS.md, "the retry path").
 */
import type { MapContext } from '@lf/limit/internal';
import type { RetryContext } from '@lf/retry';
import { isThenable, noop, onAbort, throwIfAborted } from '@lf/scope/internal';
import type { Throttle } from '@lf/throttle';
import type { Cost } from '@lf/throttle';
import type { CallContext, Plan, SharedLimiter, SharedRateLimiter } from './options.js';

/** The function the map engine calls per item. */
export type ItemFn = (item: unknown, index: number, ctx: MapContext) => unknown;
/** The user's function. */
export type CallFn = (item: unknown, ctx: CallContext) => unknown;

/** What the calls of one `alcall` share, and the batches of one `bcall`. */
export interface Shared {
  readonly throttle: Throttle | undefined;
}

/** Whether `plan` has any step that waits (and so needs the call's stop signal). */
export function needsStopSignal(plan: Plan, shared: Shared): boolean {
  return !plan.retry.passthrough || shared.throttle !== undefined || plan.limiter !== undefined || plan.rateLimiter !== undefined;
}

/**
 * Whether the innermost step is `retried` making attempt 1 itself, as a
 * plain call of `fn` (retries, no rate limiter, and a retry plan that
 * allows it). Then `pipeline(..., reportFailures: true)` hands EVERY
 * failure of an item to `onFailure` itself, and a caller needs no per-item
 * `onSettled` from the map engine to see them: `retried` reports the
 * failure of its retry loop, `limited` its own; `throttled` fails only with
 * the stop's reason or its inner step's failure; `settled` never fails.
 * perf: an `onSettled` per item cost the retry path ~0.15-0.2x of the plain
 * path (benchmarks/RESULTS.md, "alcall: the retry path").
 */
export function firstAttemptIsPlain(plan: Plan): boolean {
  return !plan.retry.passthrough && plan.rateLimiter === undefined && plan.retry.plainFirstAttempt;
}

/**
 * Composes the steps `plan` needs.
 *
 * @example
 * ```ts
 * const call = pipeline(fn, plan, { throttle: undefined }, 0, stop.signal);
 * await mapConcurrent(items, call, { concurrency: plan.maxConcurrent });
 * ```
 */
export function pipeline(
  fn: CallFn,
  plan: Plan,
  shared: Shared,
  offset: number,
  stop: AbortSignal | undefined,
  onFailure?: (error: unknown) => void,
  ownContext = false,
  reportFailures = false,
): ItemFn {
  const wait = stop ?? NEVER;
  // `ownContext`: each item's `ctx` is the map engine's own, and its index is the call's (no bcall offset).
  const contextOf: ContextOf = ownContext ? itsOwn : wrapped;
  // An item that settles as a record never fails.
  const failures = plan.settle ? undefined : onFailure;
  // `reportFailures`: the retried step hands its items' failures to `onFailure` too (see `firstAttemptIsPlain`).
  let step = plan.retry.passthrough
    ? firstAttempt(fn, plan, wait, contextOf)
    : retried(fn, plan, wait, contextOf, reportFailures ? failures : undefined);
  if (shared.throttle !== undefined) step = throttled(step, shared.throttle, wait);
  if (plan.limiter !== undefined) step = limited(step, plan.limiter, wait, failures);
  if (plan.settle) step = settled(step);
  if (offset !== 0) step = shifted(step, offset);
  return step;
}

/** The context of a call without retries: `signal` reads through to the item's lazily made signal. */
class FirstAttempt implements CallContext {
  declare readonly index: number;
  declare readonly attempt: 1;
  readonly #item: MapContext;
  constructor(index: number, item: MapContext) {
    // perf: plain stores, not class fields (one per item on the plain path: benchmarks/RESULTS.md,
    // "alcall: 1e+5 trivial async items", alcall maxConcurrent 16 / pool); the same own keys, in the same order.
    this.index = index;
    this.attempt = 1;
    this.#item = item;
  }
  get signal(): AbortSignal {
    return this.#item.signal;
  }
}

/** The context of attempt 1 for the item at `index` whose engine context is `ctx`. */
type ContextOf = (index: number, ctx: MapContext) => CallContext;
/**
 * `ctx` is the map engine's own context of the item, which is also a
 * CallContext of attempt 1 (its `index`, `attempt: 1`, and the item's own
 * signal, made on read): handed on as it is. perf: one object per item, not
 * two (benchmarks/RESULTS.md, "concurrent map", alcall maxConcurrent 16 / pool).
 */
const itsOwn: ContextOf = (_index, ctx) => ctx as unknown as CallContext;
/** `ctx` is another context (alcallIter's, or a `bcall` batch's, whose index is shifted): wrap it. */
const wrapped: ContextOf = (index, ctx) => new FirstAttempt(index, ctx);

/** A signal that never aborts, for a pipeline with no wait (never listened to). */
const NEVER = new AbortController().signal;

/**
 * The context of one retried attempt. Its signal is retry's attempt signal
 * (a `retryTimeout` one, made on read); when retry hands the stop signal
 * itself (no timeout), it is the item's own signal instead, made on read,
 * so a stop aborts only the items still running.
 */
class RetriedAttempt implements CallContext {
  declare readonly index: number;
  readonly #attempt: RetryContext;
  readonly #item: MapContext;
  readonly #stop: AbortSignal;
  constructor(index: number, attempt: RetryContext, item: MapContext, stop: AbortSignal) {
    this.index = index; // a plain store, as in FirstAttempt
    this.#attempt = attempt;
    this.#item = item;
    this.#stop = stop;
  }
  get attempt(): number {
    return this.#attempt.attempt;
  }
  get signal(): AbortSignal {
    const signal = this.#attempt.signal;
    return signal === this.#stop ? this.#item.signal : signal;
  }
}

/** `{ signal, cost }` for the rate limiter (no `cost` key when there is no `cost` option). */
function rateOptions(signal: AbortSignal, cost: Cost | undefined): { signal: AbortSignal; cost?: Cost } {
  return cost === undefined ? { signal } : { signal, cost };
}

function firstAttempt(fn: CallFn, plan: Plan, stop: AbortSignal, contextOf: ContextOf): ItemFn {
  const rateLimiter: SharedRateLimiter | undefined = plan.rateLimiter;
  if (rateLimiter === undefined) {
    return contextOf === itsOwn
      ? (item, _index, ctx) => fn(item, ctx as unknown as CallContext)
      : (item, index, ctx) => fn(item, contextOf(index, ctx));
  }
  const cost = plan.cost;
  return (item, index, ctx) =>
    rateLimiter.acquire(rateOptions(stop, cost?.(item, index))).then(() => {
      throwIfAborted(stop); // stopped between the slot and this callback: fn does not start
      return fn(item, contextOf(index, ctx));
    });
}

/** `onFailure` of a `retried` step, when it reports its items' failures (see `firstAttemptIsPlain`). */
type Report = ((error: unknown) => void) | undefined;

function retried(fn: CallFn, plan: Plan, stop: AbortSignal, contextOf: ContextOf, report: Report): ItemFn {
  const retry = plan.retry;
  const rateLimiter = plan.rateLimiter;
  if (firstAttemptIsPlain(plan)) {
    // perf: attempt 1 is the plain path's call (one FirstAttempt, no closure, no retry frame); the retry
    // machinery starts only on its failure (benchmarks/RESULTS.md, "alcall: the retry path").
    // perf: `stop.aborted` is a costly getter in Node: one listener per call keeps it in a variable
    // (set synchronously in the abort's dispatch, so it never differs from the getter where it is read).
    let stopped = stop.aborted;
    if (!stopped) {
      onAbort(stop, () => {
        stopped = true;
      });
    }
    // The abort wins over a value, as in retry (fn itself may have caused it). Only `onProgress` can
    // tell a late value from a failure: once the stop aborts, the run rejects and drops every value
    // (alcall and bcall: the map engine stops too; alcallIter ignores what settles after its stop).
    // perf: with no `onProgress`, a value passes with no handler (~0.1x of the plain path:
    // benchmarks/RESULTS.md, "alcall: the retry path").
    const abortWins =
      plan.onProgress === undefined
        ? undefined
        : (value: unknown): unknown => {
            if (stopped) throw stop.reason;
            return value;
          };
    /** Attempt 1 of the item failed with `error` (a throw or a rejection): the retry loop from there. */
    const again = (item: unknown, index: number, ctx: MapContext, error: unknown): Promise<unknown> => {
      const rest = retry.afterFailure((attempt) => fn(item, new RetriedAttempt(index, attempt, ctx, stop)), stop, error);
      return report === undefined
        ? rest
        : rest.catch((failure: unknown) => {
            report(failure);
            throw failure;
          });
    };
    return (item, index, ctx) => {
      if (stopped) return Promise.reject(stop.reason as unknown);
      let outcome: unknown;
      try {
        outcome = fn(item, contextOf(index, ctx));
      } catch (error) {
        return again(item, index, ctx, error);
      }
      // Promise.resolve adopts a thenable as retry's loop does (a throwing or twice-calling `then` included).
      // perf: the failure handler is `again` bound to the item, not a closure over this call's
      // parameters (a context per call on top of the closure): ~0.1x of the plain path
      // (benchmarks/RESULTS.md, "alcall: the retry path").
      if (isThenable(outcome)) return Promise.resolve(outcome).then(abortWins, again.bind(undefined, item, index, ctx));
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- fn may have aborted it (through the caller's signal)
      return stopped ? Promise.reject(stop.reason as unknown) : outcome;
    };
  }
  const cost = plan.cost;
  return (item, index, ctx) => {
    const itemCost = rateLimiter && cost?.(item, index);
    return retry.run(
      (attempt) => fn(item, new RetriedAttempt(index, attempt, ctx, stop)),
      stop,
      // Before EVERY attempt: a retry is a call too.
      rateLimiter && (() => rateLimiter.acquire(rateOptions(stop, itemCost)).then(noop)),
    );
  };
}

function throttled(inner: ItemFn, throttle: Throttle, stop: AbortSignal): ItemFn {
  const options = { signal: stop };
  return (item, index, ctx) => throttle.call(() => inner(item, index, ctx), options);
}

/**
 * Holds a `limiter` slot around `inner`. A failure is reported (`onFailure`:
 * the call stops) BEFORE the slot is given back, so the waiter it goes to
 * sees the stop and does not start.
 */
function limited(inner: ItemFn, limiter: SharedLimiter, stop: AbortSignal, onFailure: ((error: unknown) => void) | undefined): ItemFn {
  const options = { signal: stop };
  return (item, index, ctx) => {
    const signal = stop;
    return limiter.acquire(options).then((release) => {
      if (typeof release !== 'function') {
        throw new TypeError(`limiter.acquire() must resolve a release function (got ${typeof release})`);
      }
      let outcome: unknown;
      try {
        throwIfAborted(signal);
        outcome = inner(item, index, ctx);
      } catch (error) {
        onFailure?.(error);
        release();
        throw error;
      }
      return Promise.resolve(outcome).then(
        (value) => {
          release();
          return value;
        },
        (error: unknown) => {
          onFailure?.(error);
          release();
          throw error;
        },
      );
    });
  };
}

/** `settle: true`: the item's outcome as a record (a failure never fails the item). */
function settled(inner: ItemFn): ItemFn {
  return (item, index, ctx) => {
    let outcome: unknown;
    try {
      outcome = inner(item, index, ctx);
    } catch (reason) {
      return { status: 'rejected', reason };
    }
    if (!isThenable(outcome)) return { status: 'fulfilled', value: outcome };
    return Promise.resolve(outcome).then(fulfilled, rejected);
  };
}

const fulfilled = (value: unknown) => ({ status: 'fulfilled', value });
const rejected = (reason: unknown) => ({ status: 'rejected', reason });

function shifted(inner: ItemFn, offset: number): ItemFn {
  return (item, i, ctx) => inner(item, offset + i, ctx);
}
