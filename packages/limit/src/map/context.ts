/** The third argument of every call made by `mapConcurrent` (one per item). @category Limits */
export interface MapContext {
  /**
   * This item's own signal. Aborts when the run stops while the item runs:
   * with a `CancelledError` (its `cause` is the failure) when another item
   * failed under `stopOnError`, or with the outer `signal`'s reason.
   * Created on first read: unread, it costs nothing; first read once the run
   * has stopped, it is already aborted with that reason. One signal per item (not
   * one shared by the run) keeps listeners from piling up on a single signal
   * (Node warns past 10) and lets each be collected when its item settles.
   */
  readonly signal: AbortSignal;
}

/**
 * Who makes an item's signal on its first read: the part of a driver the item
 * runs in. It decides whether the signal is aborted at once (the run has
 * stopped) or registered, to be aborted if the run stops while the item runs.
 */
export interface SignalOwner {
  signalFor(ctx: ItemContext): AbortController;
}

/**
 * The context handed to one call: its owner and its index, plus the signal's
 * controller once read. The drivers keep no reference to it across the item's
 * await (its owner tracks the item by index).
 */
export class ItemContext implements MapContext {
  /** Made on the first read of `signal` (absent until then). */
  declare controller?: AbortController;
  declare readonly owner: SignalOwner;
  /** The item's index in the run (what its owner tracks it by). */
  declare readonly index: number;
  constructor(owner: SignalOwner, index: number) {
    // perf: (limit bench "concurrent map", parallelMap / pool) plain assignments, not class
    // fields: a field definition per field per item costs more than the store; and no
    // `controller` slot until a read (two stores per item, the context one field smaller).
    this.owner = owner;
    this.index = index;
  }
  get signal(): AbortSignal {
    return (this.controller ??= this.owner.signalFor(this)).signal;
  }
  /**
   * Always 1: the engine calls `fn` once per item. With `index` and `signal`
   * this makes the context alcall's `CallContext` of attempt 1, so alcall
   * hands it on as it is. perf: (limit bench "concurrent map", alcall
   * maxConcurrent 16 / pool) one object per item, not two, and one class
   * for every context the engine makes (a second class, a subclass, made
   * the shared construction site polymorphic and cost more than it saved).
   */
  // eslint-disable-next-line @typescript-eslint/class-literal-property-style -- on the prototype: a field would be a store per item
  get attempt(): 1 {
    return 1;
  }
}
