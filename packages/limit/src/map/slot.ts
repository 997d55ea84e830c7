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
 * yet in the results) is kept here, and a stop aborts it if that item still
 * runs. The worker touches the slot only to hand it to each item's context.
 */
export class Slot implements SignalOwner {
  /** The last signal read by an item of this slot while it ran (the item may have settled since). */
  controller: AbortController | null = null;
  /** That item's index. */
  index = -1;

  constructor(private readonly run: StopState) {}

  signalFor(ctx: ItemContext): AbortController {
    const controller = new AbortController();
    const run = this.run;
    if (run.stopped) controller.abort(run.stopReason);
    // perf: (limit bench "concurrent map", parallelMap / pool) "still running" is read off the
    // results, so the worker marks nothing per item.
    else if (!(ctx.index in run.results)) {
      this.controller = controller;
      this.index = ctx.index;
    }
    return controller;
  }

  /** The run stopped: abort the signal of the item running in this slot, if it read one. */
  abort(reason: unknown): void {
    const controller = this.controller;
    if (controller === null) return;
    this.controller = null;
    if (!(this.index in this.run.results)) controller.abort(reason);
  }
}

/** Aborts the signal of the item running in each slot. */
export function abortSlots(slots: readonly Slot[], reason: unknown): void {
  for (const slot of slots) slot.abort(reason);
}
