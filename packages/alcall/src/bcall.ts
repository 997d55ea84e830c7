import { toList } from '@lf/list-ops';
import { checkFunction, checkNumber, linkedController, noop, throwIfAborted } from '@lf/scope/internal';
import { newThrottle, runPlan, type Exact, type Tally } from './alcall.js';
import { ItemReader, isAsyncIterable, isIterable } from './input.js';
import { Leavable } from './leave.js';
import { readALCallOptions, toPlan, type ALCallOptions, type CallContext } from './options.js';
import type { CallFn, Shared } from './pipeline.js';
import type { ALCallResult, BatchItem } from './result.js';

/**
 * Options of {@link bcall}: every `alcall` option, applied to each batch, and
 * the batch size.
 *
 * @example
 * ```ts
 * const options: BCallOptions = { batchSize: 100, maxConcurrent: 8 };
 * ```
 * @category Calls
 */
export interface BCallOptions<T = unknown> extends ALCallOptions<T> {
  /** Items per batch: an integer >= 1. */
  batchSize: number;
}

/**
 * Calls `fn` over `input` in batches of `batchSize` and yields each batch's
 * results in order: lionfuncs' `bcall`.
 *
 * The input is flattened and stripped of `null`/`undefined`
 * (`toList(input, { flatten: true, dropna: true })`), cut into batches of
 * `batchSize`, and each batch runs as ONE `alcall` with the same options (so
 * `sanitizeInput`, `uniqueInput` and `flattenTupleSet` apply per batch). An
 * array is flattened at once; any other iterable or async iterable is read
 * one batch at a time. One `throttlePeriod` schedule spans all batches.
 * `ctx.index` counts from the start of the whole input; `onProgress` counts
 * across batches.
 *
 * A batch starts when the consumer asks for it. Leaving the `for await`
 * early (`break`, `return()`, `throw()`) aborts the running batch, waits for
 * it, and closes the input. A failed batch's error is the one thrown: an
 * error from closing the input never replaces it.
 *
 * @example
 * ```ts
 * for await (const results of bcall(rows, saveRow, { batchSize: 100, maxConcurrent: 8 })) {
 *   console.log(`saved ${results.length}`);
 * }
 * ```
 * @category Calls
 */
export function bcall<T, R, const O extends BCallOptions<BatchItem<T, O>> = BCallOptions>(
  input: Iterable<T> | AsyncIterable<T> | T,
  fn: (item: BatchItem<T, O>, ctx: CallContext) => R | PromiseLike<R>,
  // `& BCallOptions` keeps inline callbacks (onRetry, shouldRetry, onProgress) contextually typed.
  options: Exact<O, BCallOptions> & BCallOptions<BatchItem<T, O>>,
): AsyncGenerator<ALCallResult<R, Omit<O, 'batchSize'>>, void, undefined> {
  return runBcall('bcall', input, fn as CallFn, () => options) as AsyncGenerator<ALCallResult<R, Omit<O, 'batchSize'>>, void, undefined>;
}

/**
 * bcall under another name (for error messages), its options read by
 * `options()` on the first step: every bad argument surfaces there (internal).
 */
export function runBcall(fnName: string, input: unknown, fn: CallFn, options: () => unknown): AsyncGenerator<unknown[], void, undefined> {
  return new Leavable((leave) => batches(fnName, input, fn, options, leave));
}

const FLAT = { flatten: true, dropna: true } as const;

async function* batches(
  fnName: string,
  input: unknown,
  fn: CallFn,
  options: () => unknown,
  leave: AbortSignal,
): AsyncGenerator<unknown[], void, undefined> {
  checkFunction(fn, 'fn');
  const o = readALCallOptions(fnName, options(), ['batchSize']);
  if (o.batchSize === undefined) throw new TypeError('batchSize is required (an integer >= 1)');
  const batchSize = checkNumber(o.batchSize, 'batchSize', { min: 1, integer: true });
  const plan = toPlan(fnName, o);
  throwIfAborted(plan.signal);
  const shared: Shared = { throttle: newThrottle(plan) };
  const controller = linkedController(plan.signal, leave);
  const signal = controller.signal;
  const lazy = !Array.isArray(input) && typeof input !== 'string' && (isAsyncIterable(input) || isIterable(input));
  const reader = lazy ? new ItemReader(input) : undefined;
  let failed = false;
  try {
    if (reader === undefined) {
      const items = toList(input, FLAT);
      const tally: Tally | undefined = plan.onProgress && { completed: 0, failed: 0, total: items.length };
      for (let offset = 0; offset < items.length; offset += batchSize) {
        yield await runPlan(items.slice(offset, offset + batchSize), fn, plan, shared, offset, tally, signal);
      }
      return;
    }
    const tally: Tally | undefined = plan.onProgress && { completed: 0, failed: 0, total: undefined };
    let pending: unknown[] = [];
    for (let offset = 0; ;) {
      while (pending.length < batchSize) {
        const step = await reader.next(signal);
        if (step.done === true) break;
        // Each item is flattened as an element of the input would be (a nested Set stays whole).
        for (const item of toList([step.value], FLAT)) pending.push(item);
      }
      if (pending.length === 0) return;
      const batch = pending.length > batchSize ? pending.slice(0, batchSize) : pending;
      pending = pending.length > batchSize ? pending.slice(batchSize) : [];
      yield await runPlan(batch, fn, plan, shared, offset, tally, signal);
      offset += batch.length;
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    controller.dispose();
    // The batch's (or the source's) error is the one the caller sees: a closing error never replaces it.
    if (reader !== undefined) await (failed ? reader.close().catch(noop) : reader.close());
  }
}
