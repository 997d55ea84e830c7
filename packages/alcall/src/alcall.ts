import { toList } from '@lf/list-ops';
import { mapConcurrent, type MapContext } from '@lf/limit/internal';
import { retry, type RetryContext } from '@lf/retry';
import { sleep } from '@lf/scope';
import { checkFunction, isThenable } from '@lf/scope/internal';
import { Throttle } from '@lf/throttle';
import { knownSize, toSource, type Source } from './input.js';
import { validateALCallOptions, type ALCallOptions, type CallContext, type Plan, type Progress } from './options.js';

export type { ALCallOptions, CallContext, Progress } from './options.js';

/** The value of option `K` in options type `O` (`undefined` when absent). */
type Flag<O, K extends string> = K extends keyof O ? O[K] : undefined;

/** The value one item resolves to: `fn`'s result, or `retryDefault` when present. */
type ItemResult<R, O> = 'retryDefault' extends keyof O ? Awaited<R> | O['retryDefault' & keyof O] : Awaited<R>;

/**
 * The type `alcall` resolves to for options `O`: `[result, elapsedMs]` pairs
 * with `retryTiming: true`; the results (without `null`/`undefined` under
 * `dropna: true`) when the output is not flattened; `unknown[]` when it is
 * (or when the options are not literal enough to tell).
 *
 * @example
 * ```ts
 * type A = ALCallResult<Promise<number>, { retryTiming: true }>; // [number, number][]
 * type B = ALCallResult<number, { flatten: true }>; // unknown[]
 * ```
 */
export type ALCallResult<R, O> =
  Flag<O, 'retryTiming'> extends true
    ? [ItemResult<R, O>, number][]
    : [Flag<O, 'retryTiming'> | Flag<O, 'flatten'>] extends [false | undefined]
      ? (Flag<O, 'dropna'> extends true ? NonNullable<ItemResult<R, O>> : ItemResult<R, O>)[]
      : unknown[];

/** The options type of a call that passes none: no keys, so every option reads as absent. */
// eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type -- exactly "no options" is meant
type NoOptions = Record<never, never>;

/** Counts shared by the alcall runs of one `bcall`, for `onProgress`. */
export interface Tally {
  completed: number;
  failed: number;
  total: number | undefined;
}

/**
 * Calls `fn(item, { index, attempt, signal })` for every item of `input`
 * and resolves the results in input order: lionfuncs' `alcall`, with
 * structured concurrency.
 *
 * Order of work: every option is validated (bad ones reject before any
 * call), the input is prepared (`sanitizeInput`), `initialDelay` is waited
 * once, then the calls run — each item's whole retry loop holds one
 * `maxConcurrent` slot, `throttlePeriod` spaces the starts of items — and
 * the results are post-processed (`flatten`, `dropna`, `uniqueOutput`; with
 * `retryTiming`, `[result, elapsedMs]` pairs with only `dropna` applied).
 *
 * On a failure (no `retryDefault`) with `stopOnError` (default): nothing new
 * starts, the signal of running calls aborts, alcall waits for them to
 * settle and rejects with the original error. With `stopOnError: false`
 * every item runs and an `AggregateError` lists the failures in input order.
 * Aborting `signal` does the same and rejects with its reason. Nothing
 * alcall started is still running when it settles.
 *
 * Input: an array is used as it is; any other iterable or async iterable is
 * read lazily (never more than `maxConcurrent` items ahead of the running
 * calls); a string or a non-iterable value is one item.
 *
 * @example
 * ```ts
 * const pages = await alcall(urls, async (url, { signal }) => (await fetch(url, { signal })).text(), {
 *   maxConcurrent: 4,
 *   numRetries: 2,
 *   retryDelay: 200,
 *   backoffFactor: 2,
 *   retryTimeout: 5_000,
 * });
 * ```
 */
export function alcall<T, R, const O extends ALCallOptions = NoOptions>(
  input: Iterable<T> | AsyncIterable<T> | T,
  fn: (item: T, ctx: CallContext) => R | PromiseLike<R>,
  // `& ALCallOptions` keeps inline callbacks (onRetry, shouldRetry, onProgress) contextually typed.
  options?: O & ALCallOptions,
): Promise<ALCallResult<R, O>> {
  return runAlcall(input, fn as (item: unknown, ctx: CallContext) => unknown, options, 0, undefined) as Promise<
    ALCallResult<R, O>
  >;
}

/** alcall with an index offset and shared progress counts (internal: used by `bcall`). */
export async function runAlcall(
  input: unknown,
  fn: (item: unknown, ctx: CallContext) => unknown,
  options: unknown,
  offset: number,
  tally: Tally | undefined,
): Promise<unknown[]> {
  checkFunction(fn, 'fn');
  const plan = validateALCallOptions(options);
  plan.signal?.throwIfAborted();
  const source = await toSource(input, plan);
  return runPlan(source, fn, plan, offset, tally ?? (plan.onProgress && { completed: 0, failed: 0, total: knownSize(source) }));
}

/** Runs validated options over a prepared source (internal: shared by `alcall` and `bcall`). */
export async function runPlan(
  source: Source<unknown>,
  fn: (item: unknown, ctx: CallContext) => unknown,
  plan: Plan,
  offset: number,
  tally: Tally | undefined,
): Promise<unknown[]> {
  if (plan.initialDelay > 0) await sleep(plan.initialDelay, { signal: plan.signal });
  const results = await mapConcurrent(source, itemRunner(fn, plan, offset), {
    concurrency: plan.maxConcurrent,
    signal: plan.signal,
    stopOnError: plan.stopOnError,
    onSettled: tally && progressReporter(plan, tally),
  });
  return postProcess(results, plan);
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

/** The attempts of one item still running: the item settles after the last of them. */
class Attempts {
  #running = 0;
  #drained: (() => void) | undefined = undefined;

  /** Counts an attempt's outcome while it is pending; returns it unchanged. */
  track<V>(outcome: V): V {
    if (isThenable(outcome)) {
      this.#running++;
      outcome.then(this.#settled, this.#settled);
    }
    return outcome;
  }

  readonly #settled = (): void => {
    if (--this.#running === 0) this.#drained?.();
  };

  #idle(): Promise<void> | undefined {
    if (this.#running === 0) return undefined;
    return new Promise((resolve) => {
      this.#drained = resolve;
    });
  }

  readonly thenValue = (value: unknown): unknown => {
    const idle = this.#idle();
    return idle === undefined ? value : idle.then(() => value);
  };

  readonly thenError = (error: unknown): unknown => {
    const idle = this.#idle();
    if (idle === undefined) throw error;
    return idle.then(() => {
      throw error;
    });
  };
}

/** Builds the per-item function; options that are off add no wrapper, timer or throttle. */
function itemRunner(
  fn: (item: unknown, ctx: CallContext) => unknown,
  plan: Plan,
  offset: number,
): (item: unknown, i: number, ctx: MapContext) => unknown {
  let call: (item: unknown, index: number, ctx: MapContext) => unknown;
  if (plan.usesRetry) {
    const options = plan.options;
    call = (item, index, ctx) => {
      // retry() settles promptly on an abort or a retryTimeout and abandons the
      // attempt; alcall promises that nothing it started outlives it, so the
      // item settles only once every attempt it started has settled.
      const attempts = new Attempts();
      const outcome = retry(
        (attempt: RetryContext) => attempts.track(fn(item, { index, attempt: attempt.attempt, signal: attempt.signal })),
        // The item's own signal: an abort or a sibling's failure also ends its backoff wait.
        { ...options, signal: ctx.signal },
      );
      return outcome.then(attempts.thenValue, attempts.thenError);
    };
  } else {
    call = (item, index, ctx) => fn(item, new FirstAttempt(index, ctx));
  }
  if (plan.throttlePeriod > 0) {
    const throttle = new Throttle(plan.throttlePeriod);
    const unthrottled = call;
    call = (item, index, ctx) =>
      throttle.acquire({ signal: ctx.signal }).then(() => {
        // The run may have stopped between the slot and this callback: start nothing then.
        ctx.signal.throwIfAborted();
        return unthrottled(item, index, ctx);
      });
  }
  if (offset === 0) return call;
  return (item, i, ctx) => call(item, offset + i, ctx);
}

function progressReporter(plan: Plan, tally: Tally): (index: number, error: unknown, failed: boolean) => void {
  const onProgress = plan.onProgress;
  return (_index, _error, failed) => {
    if (failed) tally.failed++;
    else tally.completed++;
    onProgress?.({ completed: tally.completed, failed: tally.failed, total: tally.total } satisfies Progress);
  };
}

function postProcess(results: unknown[], plan: Plan): unknown[] {
  if (plan.retryTiming) {
    return plan.dropna ? results.filter((pair) => (pair as [unknown, number])[0] != null) : results;
  }
  if (!plan.flatten && !plan.dropna && !plan.uniqueOutput) return results;
  return toList(results, {
    flatten: plan.flatten,
    dropna: plan.dropna,
    unique: plan.uniqueOutput,
    flattenTupleSet: plan.flattenTupleSet,
  });
}
