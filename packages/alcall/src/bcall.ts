import { toList } from '@lf/list-ops';
import { checkFunction, checkNumber, checkOptions } from '@lf/scope/internal';
import { runPlan, type ALCallResult, type Tally } from './alcall.js';
import { isAsyncIterable } from './input.js';
import { validateALCallOptions, type ALCallOptions, type CallContext } from './options.js';

/**
 * Options of {@link bcall}: every `alcall` option, applied to each batch, and
 * the batch size.
 *
 * @example
 * ```ts
 * const options: BCallOptions = { batchSize: 100, maxConcurrent: 8 };
 * ```
 */
export interface BCallOptions extends ALCallOptions {
  /** Items per batch: an integer >= 1. */
  batchSize: number;
}

/**
 * Calls `fn` over `input` in batches of `batchSize`, one `alcall` per batch
 * with the same options, and yields each batch's results in order:
 * lionfuncs' `bcall`.
 *
 * The input is prepared with `toList(input, { flatten: true, dropna: true })`;
 * an async iterable is read one batch at a time (flattening each item as it
 * comes). A batch starts only after the previous one was consumed, and
 * breaking out of the `for await` stops the work cleanly: no batch is
 * running then, and an async iterable input is closed. `ctx.index` counts
 * from the start of the whole input; `onProgress` counts across batches.
 *
 * @example
 * ```ts
 * for await (const results of bcall(rows, saveRow, { batchSize: 100, maxConcurrent: 8 })) {
 *   console.log(`saved ${results.length}`);
 * }
 * ```
 */
export async function* bcall<T, R, const O extends BCallOptions = BCallOptions>(
  input: Iterable<T> | AsyncIterable<T> | T,
  fn: (item: T, ctx: CallContext) => R | PromiseLike<R>,
  // `& BCallOptions` keeps inline callbacks (onRetry, shouldRetry, onProgress) contextually typed.
  options: O & BCallOptions,
): AsyncGenerator<ALCallResult<R, Omit<O, 'batchSize'>>, void, undefined> {
  checkFunction(fn, 'fn');
  checkOptions(options);
  const { batchSize: size, ...rest } = (options as BCallOptions | undefined) ?? ({} as Partial<BCallOptions>);
  if (size === undefined) throw new TypeError('batchSize is required (an integer >= 1)');
  const batchSize = checkNumber(size, 'batchSize', { min: 1, integer: true });
  const plan = validateALCallOptions(rest);
  const call = fn as (item: unknown, ctx: CallContext) => unknown;
  type Out = ALCallResult<R, Omit<O, 'batchSize'>>;

  if (!isAsyncIterable(input)) {
    const items = toList(input, { flatten: true, dropna: true });
    const tally: Tally | undefined = plan.onProgress && { completed: 0, failed: 0, total: items.length };
    for (let offset = 0; offset < items.length; offset += batchSize) {
      plan.signal?.throwIfAborted();
      yield (await runPlan(items.slice(offset, offset + batchSize), call, plan, offset, tally)) as Out;
    }
    return;
  }

  const iterator = input[Symbol.asyncIterator]();
  const tally: Tally | undefined = plan.onProgress && { completed: 0, failed: 0, total: undefined };
  let done = false;
  try {
    let pending: unknown[] = [];
    let offset = 0;
    while (!done || pending.length > 0) {
      while (!done && pending.length < batchSize) {
        plan.signal?.throwIfAborted();
        const step = await iterator.next();
        if (step.done === true) done = true;
        else for (const item of toList(step.value, { flatten: true, dropna: true })) pending.push(item);
      }
      if (pending.length === 0) break;
      const batch = pending.length > batchSize ? pending.slice(0, batchSize) : pending;
      pending = pending.length > batchSize ? pending.slice(batchSize) : [];
      plan.signal?.throwIfAborted();
      yield (await runPlan(batch, call, plan, offset, tally)) as Out;
      offset += batch.length;
    }
  } finally {
    if (!done) await iterator.return?.();
  }
}
