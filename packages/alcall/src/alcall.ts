import { mapConcurrent } from '@lf/limit/internal';
import { CancelledError, sleep } from '@lf/scope';
import { checkFunction, linkedController, throwIfAborted } from '@lf/scope/internal';
import { Throttle } from '@lf/throttle';
import { knownSize, toSource, watchSource } from './input.js';
import { readPlan, type ALCallOptions, type CallContext, type Plan, type Progress } from './options.js';
import { postProcess } from './output.js';
import { needsStopSignal, pipeline, firstAttemptIsPlain, type CallFn, type Shared } from './pipeline.js';
import type { ALCallResult, InputItem } from './result.js';

export type { ALCallOptions, CallContext, Progress } from './options.js';
export type { ALCallResult } from './result.js';

/** The options type of a call that passes none: no keys, so every option reads as absent. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- exactly "no options" is meant
export interface NoOptions {}

/**
 * `O` with every key that `Known` does not have turned into `never`: an
 * object literal with a typo next to valid keys does not compile (a `const`
 * generic alone would swallow the excess key).
 */
export type Exact<O, Known> = O & Record<Exclude<keyof O, keyof Known>, never>;

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
 * Order of work: the options are read once and validated (a typo or a bad
 * value rejects before any call), the input is prepared (`sanitizeInput`),
 * `initialDelay` is waited once, then the calls run — each item's whole
 * retry loop holds one `maxConcurrent` slot (and one `limiter` slot),
 * `throttlePeriod` spaces the starts of items, `rateLimiter` is acquired
 * before every attempt — and the results are post-processed (`flatten`,
 * `dropna`, `uniqueOutput`; with `retryTiming`, `[result, elapsedMs]` pairs
 * with only `dropna` applied; with `settle`, one record per item).
 *
 * On a failure (no `retryDefault`, no `settle`) with `stopOnError` (default):
 * nothing new starts, the signal of running calls aborts, alcall waits for
 * them to settle and rejects with the original error. With `stopOnError:
 * false` every item runs and an `AggregateError` lists the failures in input
 * order. Aborting `signal` does the same and rejects with its reason.
 * Nothing alcall started is still running when it settles.
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
 * @category Calls
 */
export function alcall<T, R, const O extends ALCallOptions<InputItem<T, O>> = NoOptions>(
  input: Iterable<T> | AsyncIterable<T> | T,
  fn: (item: InputItem<T, O>, ctx: CallContext) => R | PromiseLike<R>,
  // `& ALCallOptions` keeps inline callbacks (onRetry, shouldRetry, onProgress) contextually typed.
  options?: Exact<O, ALCallOptions> & ALCallOptions<InputItem<T, O>>,
): Promise<ALCallResult<R, O>> {
  return runAlcall('alcall', input, fn as CallFn, options) as Promise<ALCallResult<R, O>>;
}

/** alcall under another name (for error messages): reads and validates, then runs (internal). */
export async function runAlcall(fnName: string, input: unknown, fn: CallFn, options: unknown): Promise<unknown[]> {
  checkFunction(fn, 'fn');
  const plan = readPlan(fnName, options);
  return runPlan(input, fn, plan, { throttle: newThrottle(plan) }, 0, undefined, plan.signal);
}

/** The throttle of one call (or of every batch of one `bcall`). */
export function newThrottle(plan: Plan): Throttle | undefined {
  return plan.throttlePeriod > 0 ? new Throttle(plan.throttlePeriod) : undefined;
}

/**
 * One alcall run of validated options (internal: shared by `alcall` and each
 * batch of `bcall`), under `signal` (the plan's own, or one that also aborts
 * when a `bcall` consumer leaves).
 */
export async function runPlan(
  input: unknown,
  fn: CallFn,
  plan: Plan,
  shared: Shared,
  offset: number,
  tally: Tally | undefined,
  signal: AbortSignal | undefined,
): Promise<unknown[]> {
  throwIfAborted(signal);
  const source = await toSource(input, plan, signal);
  const counts = tally ?? (plan.onProgress && { completed: 0, failed: 0, total: knownSize(source) });
  if (plan.initialDelay > 0) await sleep(plan.initialDelay, { signal });
  const stop = needsStopSignal(plan, shared) ? linkedController(signal) : undefined;
  const progress = counts && progressReporter(plan, counts);
  let onSettled = progress;
  let onFailure: ((error: unknown) => void) | undefined;
  let first: { error: unknown } | undefined;
  if (stop !== undefined && plan.stopOnError) {
    // The first failure stops every wait of the call (the engine aborts the running items' own signals).
    onFailure = (error) => {
      if (stop.signal.aborted) return;
      first = { error };
      stop.abort(new CancelledError('another item failed', { cause: error }));
    };
    // perf: a pipeline whose first attempt is plain reports its items' failures itself: no onSettled
    // per item (benchmarks/RESULTS.md, "alcall: the retry path").
    if (!firstAttemptIsPlain(plan)) {
      onSettled = (index, error, failed) => {
        if (failed) onFailure?.(error);
        progress?.(index, error, failed);
      };
    }
  }
  try {
    // A failing input stops the waits as an item's failure does.
    const items = onFailure === undefined ? source : watchSource(source, onFailure);
    // With no bcall offset, the engine's context of each item is its call's context of attempt 1.
    const call = pipeline(fn, plan, shared, offset, stop?.signal, onFailure, offset === 0, true);
    const results = await mapConcurrent(items, call, { concurrency: plan.maxConcurrent, signal, stopOnError: plan.stopOnError, onSettled });
    return postProcess(results, plan);
  } catch (error) {
    // A wait cut by the stop may reach the engine before the failure that caused it: the failure is what the caller sees.
    if (first !== undefined && error === stop?.signal.reason) throw first.error;
    throw error;
  } finally {
    stop?.dispose();
  }
}

/** `onSettled` for the map engine: counts each item and reports (internal: alcall and alcallIter). */
export function progressReporter(plan: Plan, tally: Tally): (index: number, error: unknown, failed: boolean) => void {
  const onProgress = plan.onProgress;
  return (_index, _error, failed) => {
    if (failed) tally.failed++;
    else tally.completed++;
    onProgress?.({ completed: tally.completed, failed: tally.failed, total: tally.total } satisfies Progress);
  };
}
