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
 *   is acquired before EVERY attempt (a retry is a call too);
 * - `throttled`: `throttlePeriod` spaces the STARTS of items (a `Throttle`
 *   shared by every batch of a `bcall`);
 * - `limited`: a shared `limiter` slot held for the item's whole retry loop;
 * - `settled`: `settle: true` turns the item's outcome into a record;
 * - `shifted`: `bcall`'s index offset into the whole input.
 *
 * Order: an item first takes its `limiter` slot, then waits for its throttle
 * start, then runs its attempts, so the throttle spaces real starts.
 */
import type { MapContext } from '@lf/limit/internal';
import type { RetryContext } from '@lf/retry';
import { isThenable, throwIfAborted } from '@lf/scope/internal';
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

/**
 * Composes the steps `plan` needs.
 *
 * @example
 * ```ts
 * const call = pipeline(fn, plan, { throttle: undefined }, 0);
 * await mapConcurrent(items, call, { concurrency: plan.maxConcurrent });
 * ```
 */
export function pipeline(fn: CallFn, plan: Plan, shared: Shared, offset: number): ItemFn {
  let step = plan.retry.passthrough ? firstAttempt(fn, plan) : retried(fn, plan);
  if (shared.throttle !== undefined) step = throttled(step, shared.throttle);
  if (plan.limiter !== undefined) step = limited(step, plan.limiter);
  if (plan.settle) step = settled(step);
  if (offset !== 0) step = shifted(step, offset);
  return step;
}

/** The context of a call without retries: `signal` reads through to the item's lazily made signal. */
class FirstAttempt implements CallContext {
  readonly attempt = 1;
  readonly #item: MapContext;
  constructor(
    readonly index: number,
    item: MapContext,
  ) {
    this.#item = item;
  }
  get signal(): AbortSignal {
    return this.#item.signal;
  }
}

/** The context of one retried attempt: reads through to retry's lazily made attempt signal. */
class RetriedAttempt implements CallContext {
  readonly #attempt: RetryContext;
  constructor(
    readonly index: number,
    attempt: RetryContext,
  ) {
    this.#attempt = attempt;
  }
  get attempt(): number {
    return this.#attempt.attempt;
  }
  get signal(): AbortSignal {
    return this.#attempt.signal;
  }
}

/** `{ signal, cost }` for the rate limiter (no `cost` key when there is no `cost` option). */
function rateOptions(signal: AbortSignal, cost: Cost | undefined): { signal: AbortSignal; cost?: Cost } {
  return cost === undefined ? { signal } : { signal, cost };
}

function firstAttempt(fn: CallFn, plan: Plan): ItemFn {
  const rateLimiter: SharedRateLimiter | undefined = plan.rateLimiter;
  if (rateLimiter === undefined) return (item, index, ctx) => fn(item, new FirstAttempt(index, ctx));
  const cost = plan.cost;
  return (item, index, ctx) => {
    const signal = ctx.signal;
    return rateLimiter.acquire(rateOptions(signal, cost?.(item, index))).then(() => {
      throwIfAborted(signal); // aborted between the slot and this callback: fn does not start
      return fn(item, new FirstAttempt(index, ctx));
    });
  };
}

function retried(fn: CallFn, plan: Plan): ItemFn {
  const retry = plan.retry;
  const rateLimiter = plan.rateLimiter;
  if (rateLimiter === undefined) {
    return (item, index, ctx) => retry.run((attempt) => fn(item, new RetriedAttempt(index, attempt)), ctx.signal);
  }
  const cost = plan.cost;
  return (item, index, ctx) => {
    const itemCost = cost?.(item, index);
    return retry.run(
      (attempt) => fn(item, new RetriedAttempt(index, attempt)),
      ctx.signal,
      (signal) => rateLimiter.acquire(rateOptions(signal, itemCost)),
    );
  };
}

function throttled(inner: ItemFn, throttle: Throttle): ItemFn {
  return (item, index, ctx) => throttle.call(() => inner(item, index, ctx), { signal: ctx.signal });
}

function limited(inner: ItemFn, limiter: SharedLimiter): ItemFn {
  return (item, index, ctx) => {
    const signal = ctx.signal;
    return limiter.acquire({ signal }).then((release) => {
      if (typeof release !== 'function') {
        throw new TypeError(`limiter.acquire() must resolve a release function (got ${typeof release})`);
      }
      let outcome: unknown;
      try {
        throwIfAborted(signal);
        outcome = inner(item, index, ctx);
      } catch (error) {
        release();
        throw error;
      }
      return Promise.resolve(outcome).then(
        (value) => {
          release();
          return value;
        },
        (error: unknown) => {
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
