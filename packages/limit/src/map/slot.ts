import type { ItemContext, SignalOwner } from './context.js';

/** What a slot reads of its run. */
export interface StopState {
  readonly stopped: boolean;
  readonly stopReason: unknown;
  /** An index is in it once its item settled (a failed item's slot holds `undefined`). */
  readonly results: readonly unknown[];
}

/**
 * One worker loop's hold on the item it runs, for the drivers whose workers
 * await one item at a time (arrays, sync iterators). It replaces a registry
 * of live signals: an item's signal made while the item runs (its index not
 * yet in the results) is kept here, and a stop aborts the (at most one)
 * signal of each slot. The worker clears it when its item settles.
 */
export class Slot implements SignalOwner {
  /** The signal of the running item, once read. */
  controller: AbortController | null = null;

  constructor(private readonly run: StopState) {}

  signalFor(ctx: ItemContext): AbortController {
    const controller = new AbortController();
    const run = this.run;
    if (run.stopped) controller.abort(run.stopReason);
    // perf: (limit bench "concurrent map", parallelMap / pool) "still running" is read off the
    // results, so the worker marks nothing per item.
    else if (!(ctx.index in run.results)) this.controller = controller;
    return controller;
  }

  /** The run stopped: abort the running item's signal (if it read one). */
  abort(reason: unknown): void {
    const controller = this.controller;
    if (controller !== null) {
      this.controller = null;
      controller.abort(reason);
    }
  }
}

/** Aborts the signal of the item running in each slot. */
export function abortSlots(slots: readonly Slot[], reason: unknown): void {
  for (const slot of slots) slot.abort(reason);
}
