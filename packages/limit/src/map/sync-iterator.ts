import { ItemContext } from './context.js';
import type { Driver, MapRun } from './run.js';
import { abortSlots, Slot } from './slot.js';

/**
 * The sync iterator driver: up to `concurrency` worker loops, each pulling
 * the next item only when it is free (so memory grows with `concurrency`, not
 * with the input). Workers start one by one until the limit or the end of
 * the input (with `concurrency: Infinity`, as many as there are items). On
 * an early stop the iterator is closed with `return()`.
 */
export function runSyncIterator<T, R>(run: MapRun<T, R>, iterator: Iterator<T>, concurrency: number): void {
  const driver = new SyncIterator(iterator);
  run.driver = driver;
  const fn = run.fn;
  const results = run.results;
  const onSettled = run.onSettled;
  // perf: a closure made once per run, as in array-workers.ts (fewer registers saved per await).
  const pull = async (slot: Slot): Promise<void> => {
    while (!run.stopped && !driver.exhausted) {
      let item: T | typeof DONE;
      try {
        item = driver.next();
      } catch (error) {
        driver.exhausted = true;
        run.sourceFailed(error);
        break;
      }
      if (item === DONE) break;
      const i = run.claim();
      let value: R;
      try {
        // perf: as in array-workers.ts, the context is not kept across the await.
        value = await fn(item, i, new ItemContext(slot, i));
      } catch (error) {
        // Settled: its own failure does not abort its signal, nor is a later read of it kept
        // (a failed run never returns its results).
        (results as unknown[])[i] = undefined;
        run.failed(i, error);
        continue;
      }
      results[i] = value;
      if (onSettled !== undefined) run.succeeded(i);
    }
    run.leave();
  };
  for (let k = 0; k < concurrency && !run.stopped && !driver.exhausted; k++) {
    const slot = new Slot(run);
    driver.slots.push(slot);
    run.live++;
    void pull(slot);
  }
}

class SyncIterator<T> implements Driver {
  readonly slots: Slot[] = [];
  /** No more items will be read: done, threw, or closed. */
  exhausted = false;
  constructor(readonly iterator: Iterator<T>) {}

  /** The next item, or `DONE` once exhausted. Throws what the iterator throws. */
  next(): T | typeof DONE {
    const step = this.iterator.next();
    if (typeof step !== 'object' || (step as unknown) === null) throw notAResult(step);
    if (step.done === true) {
      this.exhausted = true;
      return DONE;
    }
    return step.value;
  }

  stop(reason: unknown): void {
    abortSlots(this.slots, reason);
  }

  close(): undefined {
    if (!this.exhausted) {
      this.exhausted = true;
      try {
        this.iterator.return?.();
      } catch {
        /* the run already has its outcome */
      }
    }
    return undefined;
  }
}

/** The end of a sync iterator's input. */
const DONE: unique symbol = Symbol('done');

/** The TypeError for an iterator whose `next()` broke the protocol. */
export function notAResult(step: unknown): TypeError {
  return new TypeError(`Iterator result ${String(step)} is not an object`);
}
