import type { Timeline } from './timeline.js';

/**
 * Runs `body` as one attempt of the row `label` on the timeline: the row is
 * "running" while it runs, then "done", "failed" (the attempt threw) or
 * "cancelled" (it threw after its `signal` aborted). A `TimeoutError` abort
 * counts as a failure when `timeoutFails` is true (alcall's `retryTimeout`:
 * a timed-out attempt is a failed attempt) and as a cancellation otherwise
 * (a `CancelScope` deadline).
 *
 * @example
 * ```ts
 * const fn = (item: number, ctx: { signal: AbortSignal }) =>
 *   track(tl, `item ${item}`, () => sleep(50, ctx), ctx.signal);
 * ```
 */
export async function track<R>(
  tl: Timeline,
  label: string,
  body: () => R | PromiseLike<R>,
  signal?: AbortSignal,
  timeoutFails = false,
): Promise<Awaited<R>> {
  tl.run(label);
  try {
    const value = await body();
    tl.done(label);
    return value;
  } catch (error) {
    if (signal?.aborted === true && !(timeoutFails && isTimeout(signal.reason))) tl.cancel(label);
    else tl.fail(label);
    throw error;
  }
}

/** What alcall / bcall hand to the function besides the item (the part the demo needs). */
export interface TracedContext {
  readonly signal: AbortSignal;
  readonly attempt: number;
}

/**
 * Wraps an alcall-style function so that every attempt is drawn on `tl`, in
 * the row `label(item)`; an attempt cut by `retryTimeout` is drawn as failed.
 *
 * @example
 * ```ts
 * const fn = traced(tl, (n) => `item ${n}`, async (n: number, { signal }) => {
 *   await sleep(50, { signal });
 *   return n * 2;
 * });
 * await alcall([1, 2, 3], fn, { maxConcurrent: 2 });
 * ```
 */
export function traced<T, R>(
  tl: Timeline,
  label: (item: T) => string,
  body: (item: T, ctx: TracedContext) => R | PromiseLike<R>,
): (item: T, ctx: TracedContext) => Promise<Awaited<R>> {
  return (item, ctx) => track(tl, label(item), () => body(item, ctx), ctx.signal, true);
}

function isTimeout(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}
