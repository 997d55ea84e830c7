import type { ItemContext, SignalOwner } from './context.js';

/** What a slot reads of its run. */
export interface StopState {
  readonly stopped: boolean;
  readonly stopReason: unknown;
}

/**
 * One worker loop's hold on the item it runs, for the drivers whose workers
 * await one item at a time (arrays, sync iterators). It replaces a registry
 * of live signals: the worker marks the index it runs, an item's signal made
 * while that index runs is kept here, and a stop aborts the (at most one)
 * signal of each slot.
 */
export class Slot implements SignalOwner {
  /** The index running in this slot, -1 when none. */
  running = -1;
  /** The signal of the running item, once read. */
  controller: AbortController | null = null;

  constructor(private readonly run: StopState) {}

  signalFor(ctx: ItemContext): AbortController {
    const controller = new AbortController();
    const run = this.run;
    if (run.stopped) controller.abort(run.stopReason);
    else if (ctx.index === this.running) this.controller = controller;
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
