import { ItemContext } from './context.js';
import type { Driver, MapRun } from './run.js';
import { abortSlots, Slot, type StopState } from './slot.js';

/**
 * The array driver: `min(concurrency, length)` worker loops, each claiming
 * the next index, awaiting its call, writing its result. The length is read
 * once, at the start.
 */
export function runArrayWorkers<T, R>(run: MapRun<T, R>, array: readonly T[], concurrency: number): void {
  const n = array.length;
  const driver = new ArrayWorkers(run, n, Math.min(concurrency, n));
  run.driver = driver;
  const results = (run.results = new Array<R>(n));
  const fn = run.fn;
  const onSettled = run.onSettled;
  // perf: (limit bench "concurrent map", parallelMap / pool) the worker loop is a closure over
  // the run's state, made once per run: an await saves and restores the loop's registers,
  // and a module-level loop taking its state as parameters kept four more of them alive.
  // With one caller of the engine: 1.23x the pool at 1e6 items before, 1.07x as a closure;
  // with many callers in one process (as in the bench) its call sites are polymorphic and
  // the difference is inside the noise.
  const work = async (slot: Slot): Promise<void> => {
    for (;;) {
      const i = run.claimed;
      if (i >= driver.end) break;
      run.claimed = i + 1;
      let value: R;
      try {
        // perf: (limit bench "concurrent map", parallelMap / pool) the context is made in the call
        // and not kept by the loop, so nothing of the item but its index outlives the await here.
        value = await fn(array[i] as T, i, new ItemContext(slot, i));
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
  run.live = driver.slots.length; // every loop counted before any starts: none can finish the run early
  for (const slot of driver.slots) void work(slot);
}

class ArrayWorkers implements Driver {
  readonly slots: Slot[] = [];
  /**
   * Indices below it may still start: the length, 0 once the run stops.
   * perf: (limit bench "concurrent map", parallelMap / pool) one bound read per item
   * stands for "not stopped and not past the end".
   */
  end: number;

  constructor(run: StopState, n: number, workers: number) {
    this.end = n;
    for (let k = 0; k < workers; k++) this.slots.push(new Slot(run));
  }

  stop(reason: unknown): void {
    this.end = 0;
    abortSlots(this.slots, reason);
  }

  close(): undefined {
    return undefined; // an array has nothing to close
  }
}
