import { CancelledError } from '@lf/scope';
import { noop, type Settler } from '../deferred.js';
import type { MapContext } from './context.js';

/** The function a run maps with. */
export type MapFn<T, R> = (item: T, index: number, ctx: MapContext) => R | PromiseLike<R>;

/** `onSettled(index, error, failed)`: called as each item settles. */
export type OnSettled = (index: number, error: unknown, failed: boolean) => void;

/** One failure kept under `stopOnError: false`: an item's, or the source's (listed last). */
export type Failure =
  { readonly from: 'item'; readonly index: number; readonly error: unknown } | { readonly from: 'source'; readonly error: unknown };

/**
 * Where a run stands. `ok` and `failures` go on; `failed` and `aborted` are
 * stops (final: the first stop wins, and replaces any failures kept so far).
 */
export type Outcome =
  /** Nothing failed (yet). */
  | { readonly kind: 'ok' }
  /** `stopOnError: false`: these failed, in the order they happened; the run goes on. */
  | { readonly kind: 'failures'; readonly failures: Failure[] }
  /**
   * Stopped by the first failure (`stopOnError`) or by what `onSettled`
   * threw (`error`); running items' signals abort with `reason`.
   */
  | { readonly kind: 'failed'; readonly error: unknown; readonly reason: CancelledError }
  /** Stopped by the outer signal: the run rejects with its `reason`. */
  | { readonly kind: 'aborted'; readonly reason: unknown };

const OK: Outcome = { kind: 'ok' };

/**
 * What a run needs from the driver that reads its input. Each driver owns its
 * state (slots, iterator, feeder) and its closing.
 */
export interface Driver {
  /** The run stopped: abort the signals of the items still running, wake whatever waits. */
  stop(reason: unknown): void;
  /**
   * Every part has left a run that stopped early: close the source it
   * abandons. A promise makes the run settle only once it settles.
   */
  close(): PromiseLike<unknown> | undefined;
}

/** The driver of a run with nothing to read (an empty array, a source that failed to open). */
const NOTHING: Driver = { stop: noop, close: () => undefined };

/**
 * The core of one run of the map engine: the results, the outcome, the
 * count of live parts, and the per-item hooks the drivers call.
 *
 * A driver hands out indices by writing `claimed` (`claim()`), calls
 * `succeeded(i)` / `failed(i, error)` as each item settles and
 * `sourceFailed(error)` if its source throws; every part it started
 * (worker loop, feeder, running item) calls `leave()` once. When the last
 * one leaves, the run closes what it abandoned and settles.
 */
export class MapRun<T, R> implements Settler<R[]> {
  resolve: (value: R[] | PromiseLike<R[]>) => void = noop;
  reject: (reason: unknown) => void = noop;
  /** Removes the listener on the outer signal. */
  off: (() => void) | undefined = undefined;
  driver: Driver = NOTHING;

  results: R[] = [];
  outcome: Outcome = OK;
  /** Indices handed out so far (the next index). */
  claimed = 0;
  /** Parts still running (see the class comment). */
  live = 0;
  finished = false;

  constructor(
    readonly fn: MapFn<T, R>,
    readonly stopOnError: boolean,
    readonly onSettled: OnSettled | undefined,
  ) {}

  /** The run has stopped (a failure under `stopOnError`, a throwing `onSettled`, an abort): start nothing new. */
  get stopped(): boolean {
    const kind = this.outcome.kind;
    return kind === 'failed' || kind === 'aborted';
  }

  /** What running items' signals abort with once the run has stopped. */
  get stopReason(): unknown {
    const outcome = this.outcome;
    return outcome.kind === 'failed' || outcome.kind === 'aborted' ? outcome.reason : undefined;
  }

  /** Hands out the next index. */
  claim(): number {
    return this.claimed++;
  }

  /** An item fulfilled: report it. Never throws. */
  succeeded(index: number): void {
    if (this.onSettled !== undefined) this.notify(index, undefined, false);
  }

  /** An item failed: file it (under `stopOnError`, this stops the run), then report it. Never throws. */
  failed(index: number, error: unknown): void {
    if (!this.stopped) {
      if (this.stopOnError) this.stopOn(error, 'Cancelled because another item failed');
      else this.keep({ from: 'item', index, error });
    }
    if (this.onSettled !== undefined) this.notify(index, error, true);
  }

  /**
   * An item failed, and the driver cannot tell which without a reaction per
   * item: the all-at-once driver, chosen only where no index is read
   * (`stopOnError`, so the first failure is the outcome; no `onSettled`).
   */
  anItemFailed(error: unknown): void {
    if (!this.stopped) this.stopOn(error, 'Cancelled because another item failed');
  }

  /** The source (iterator) threw: a failure like an item's, listed last, not reported to `onSettled`. */
  sourceFailed(error: unknown): void {
    if (this.stopped) return;
    if (this.stopOnError) this.stopOn(error, 'Cancelled because another item failed');
    else this.keep({ from: 'source', error });
  }

  /** The outer signal aborted. */
  abort(reason: unknown): void {
    if (this.stopped || this.finished) return;
    this.stop({ kind: 'aborted', reason });
  }

  /** A part of the run is done; the last one to leave finishes the run. */
  leave(): void {
    if (--this.live === 0) this.finish();
  }

  /** Closes what a stopped run abandons, then settles. Runs once. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.off !== undefined) {
      this.off();
      this.off = undefined;
    }
    const closing = this.stopped ? this.driver.close() : undefined;
    if (closing === undefined) this.settle();
    else closing.then(this.settleBound, this.settleBound);
  }

  private readonly settleBound = (): void => {
    this.settle();
  };

  private settle(): void {
    const outcome = this.outcome;
    switch (outcome.kind) {
      case 'ok':
        this.resolve(this.results);
        return;
      case 'failures': {
        const failures = outcome.failures.sort(inInputOrder);
        this.reject(
          new AggregateError(
            failures.map((f) => f.error),
            `${failures.length} of ${this.claimed} items failed`,
          ),
        );
        return;
      }
      case 'failed':
        this.reject(outcome.error);
        return;
      case 'aborted':
        this.reject(outcome.reason);
    }
  }

  private keep(failure: Failure): void {
    const outcome = this.outcome;
    if (outcome.kind === 'failures') outcome.failures.push(failure);
    else this.outcome = { kind: 'failures', failures: [failure] };
  }

  private stopOn(error: unknown, message: string): void {
    this.stop({ kind: 'failed', error, reason: new CancelledError(message, { cause: error }) });
  }

  private stop(outcome: Outcome & { readonly reason: unknown }): void {
    this.outcome = outcome;
    this.driver.stop(outcome.reason);
  }

  private notify(index: number, error: unknown, failed: boolean): void {
    const onSettled = this.onSettled;
    if (onSettled === undefined) return;
    try {
      onSettled(index, error, failed);
    } catch (thrown) {
      if (!this.stopped) this.stopOn(thrown, 'Cancelled because onSettled threw');
    }
  }
}

/** Items in index order, the source's failure last. */
function inInputOrder(a: Failure, b: Failure): number {
  return (a.from === 'item' ? a.index : Infinity) - (b.from === 'item' ? b.index : Infinity);
}
