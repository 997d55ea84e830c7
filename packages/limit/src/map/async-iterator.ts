import { noop } from '../deferred.js';
import { ItemContext, type SignalOwner } from './context.js';
import type { Driver, MapRun } from './run.js';
import { notAResult } from './sync-iterator.js';

/**
 * The async iterator driver: one feeder pulls an item only while a slot is
 * free (never calling `next()` while another is pending) and starts it; each
 * running item is a part of the run of its own. On an early stop the
 * iterator is closed and the run waits for that, unless a `next()` is still
 * pending: then the close is queued behind it and the run does not wait for
 * a source that may never answer.
 */
export function runAsyncIterator<T, R>(run: MapRun<T, R>, iterator: AsyncIterator<T>, concurrency: number): void {
  const driver = new AsyncIteratorDriver(run, iterator, concurrency);
  run.driver = driver;
  run.live++;
  void driver.feed();
}

class AsyncIteratorDriver<T, R> implements Driver, SignalOwner {
  /** Items running now. */
  running = 0;
  /** The feeder, waiting for a free slot. */
  wake: (() => void) | null = null;
  /** A `next()` is pending. */
  pulling = false;
  /** The run stopped while `next()` was pending and no longer waits for it. */
  detached = false;
  /** No more items will be read: done, threw, or closed. */
  exhausted = false;
  /** Running items whose signal was read. */
  signals: Set<ItemContext> | null = null;

  constructor(
    private readonly run: MapRun<T, R>,
    private readonly iterator: AsyncIterator<T>,
    private readonly concurrency: number,
  ) {}

  /** Pulls one item at a time, only while a slot is free, and starts it. */
  async feed(): Promise<void> {
    const run = this.run;
    for (;;) {
      if (this.running >= this.concurrency && !run.stopped) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
      if (run.stopped || this.exhausted) break;
      let done: boolean;
      let item: T;
      this.pulling = true;
      try {
        const step = await this.iterator.next();
        if (typeof step !== 'object' || (step as unknown) === null) throw notAResult(step);
        done = step.done === true;
        item = step.value as T;
      } catch (error) {
        this.pulling = false;
        if (this.detached) return;
        this.exhausted = true;
        run.sourceFailed(error);
        break;
      }
      this.pulling = false;
      if (this.detached) return;
      if (done) {
        this.exhausted = true;
        break;
      }
      const i = run.claim();
      this.running++;
      run.live++;
      void this.runOne(item, i);
    }
    run.leave();
  }

  private async runOne(item: T, i: number): Promise<void> {
    const run = this.run;
    const ctx = new ItemContext(this, i);
    try {
      run.results[i] = await run.fn(item, i, ctx);
      this.release(ctx);
      run.succeeded(i);
    } catch (error) {
      this.release(ctx);
      run.failed(i, error);
    }
    this.running--;
    const wake = this.wake;
    if (wake !== null) {
      this.wake = null;
      wake();
    }
    run.leave();
  }

  signalFor(ctx: ItemContext): AbortController {
    const controller = new AbortController();
    const run = this.run;
    if (run.stopped) controller.abort(run.stopReason);
    else (this.signals ??= new Set()).add(ctx);
    return controller;
  }

  private release(ctx: ItemContext): void {
    if (ctx.controller !== undefined) this.signals?.delete(ctx);
  }

  stop(reason: unknown): void {
    const signals = this.signals;
    if (signals !== null) {
      this.signals = null;
      for (const ctx of signals) ctx.controller?.abort(reason);
    }
    const wake = this.wake;
    if (wake !== null) {
      this.wake = null;
      wake();
    }
    if (this.pulling && !this.detached) {
      // Do not wait for a pending next() that may never answer.
      this.detached = true;
      this.run.leave();
    }
  }

  close(): PromiseLike<unknown> | undefined {
    if (this.exhausted) return undefined;
    this.exhausted = true;
    let closing: Promise<unknown>;
    try {
      const iterator = this.iterator;
      if (iterator.return === undefined) return undefined;
      closing = Promise.resolve(iterator.return());
    } catch {
      return undefined; // the run already has its outcome
    }
    if (!this.pulling) return closing;
    closing.then(noop, noop); // queued behind the pending next(): not waited for
    return undefined;
  }
}
