import { isThenable } from '@lf/scope/internal';
import { ItemContext, type SignalOwner } from './context.js';
import type { Driver, MapRun } from './run.js';

/**
 * The all-at-once driver: everything fits (an array no longer than
 * `concurrency`) and no per-item hook is asked for (`stopOnError`, no
 * `onSettled`), so every call starts now, in one synchronous loop, and one
 * `Promise.all` collects them, as lean as `Promise.all(items.map(fn))`. On the
 * first rejection (or an abort, or a synchronous throw, which starts nothing
 * more) it waits for the rest with `Promise.allSettled` before settling.
 */
export function runAllAtOnce<T, R>(run: MapRun<T, R>, array: readonly T[]): void {
  const n = array.length;
  const fn = run.fn;
  const driver = new AllAtOnce(run, n);
  run.driver = driver;
  run.live = 1; // the one Promise.all (or allSettled) below
  const started = driver.started;
  let i = 0;
  while (i < n) {
    const ctx = new ItemContext(driver, i);
    try {
      const outcome = fn(array[i] as T, i, ctx);
      started[i] = outcome;
      // It read its signal while starting: watch it settle (a later read is watched by signalFor).
      if (ctx.controller !== undefined) driver.watch(ctx, outcome);
    } catch (error) {
      driver.release(ctx); // its own failure does not abort its own signal
      run.failed(i, error);
    }
    run.claimed = ++i;
    if (run.stopped) break;
  }
  if (i < n) {
    started.length = i;
    void Promise.allSettled(started).then(driver.leave);
    return;
  }
  Promise.all(started).then(driver.fulfilled, driver.rejected);
}

class AllAtOnce<T, R> implements Driver, SignalOwner {
  /** Every call's outcome, for waiting on them after a failure. */
  readonly started: (R | PromiseLike<R>)[];
  /** Items whose signal was read and that are still running. */
  private signals: Set<ItemContext> | null = null;

  constructor(
    private readonly run: MapRun<T, R>,
    n: number,
  ) {
    this.started = new Array<R | PromiseLike<R>>(n);
  }

  readonly fulfilled = (values: R[]): void => {
    this.run.results = values;
    this.run.leave();
  };

  /**
   * An item rejected. `Promise.all` does not say which one, and learning it
   * would cost a reaction per item; this driver only runs where the index is
   * never read (`stopOnError`: the first failure is the outcome; no `onSettled`).
   */
  readonly rejected = (error: unknown): void => {
    this.run.anItemFailed(error);
    void Promise.allSettled(this.started).then(this.leave);
  };

  readonly leave = (): void => {
    this.run.leave();
  };

  signalFor(ctx: ItemContext): AbortController {
    const controller = new AbortController();
    const run = this.run;
    if (run.stopped) {
      controller.abort(run.stopReason);
    } else {
      (this.signals ??= new Set()).add(ctx);
      // Read after its start (no driver loop sees the item settle): watch it. A read during
      // its synchronous start is watched by runAllAtOnce, once the outcome exists.
      if (ctx.index < run.claimed) this.watch(ctx, this.started[ctx.index]);
    }
    return controller;
  }

  /** Drops an item's signal once its outcome settles, so a later stop leaves it alone. */
  watch(ctx: ItemContext, outcome: unknown): void {
    if (!isThenable(outcome)) {
      this.release(ctx);
      return;
    }
    const release = (): void => {
      this.release(ctx);
    };
    Promise.resolve(outcome).then(release, release);
  }

  release(ctx: ItemContext): void {
    this.signals?.delete(ctx);
  }

  stop(reason: unknown): void {
    const signals = this.signals;
    if (signals === null) return;
    this.signals = null;
    for (const ctx of signals) ctx.controller?.abort(reason);
  }

  close(): undefined {
    return undefined; // an array has nothing to close
  }
}
