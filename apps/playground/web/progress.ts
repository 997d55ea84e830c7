/**
 * The progress bar's model: the same partition of the lanes as the counters
 * beside it (completed, defaulted, failed, cancelled), so after Cancel the bar
 * and the counters tell one story. alcall's own `onProgress` counts a call
 * aborted by Cancel as failed; the page keeps that report as data, not as the bar.
 */
import type { Tally } from './timeline.js';

export interface ProgressBar {
  /** Fractions of `total`, in bar order; they sum to `settled / total`. */
  completed: number;
  defaulted: number;
  failed: number;
  cancelled: number;
  /** Lanes that will not change any more. */
  settled: number;
  total: number;
  /** The text beside the bar. */
  text: string;
}

/**
 * The bar for a run whose lanes are tallied as `tally`.
 *
 * @example
 * progressBar({ waiting: 0, running: 0, backoff: 0, succeeded: 12, failed: 0, defaulted: 0, cancelled: 18 });
 * // { completed: 0.4, cancelled: 0.6, settled: 30, total: 30, text: '30 / 30', ... }
 */
export function progressBar(tally: Tally): ProgressBar {
  const total = tally.waiting + tally.running + tally.backoff + tally.succeeded + tally.failed + tally.defaulted + tally.cancelled;
  const settled = tally.succeeded + tally.failed + tally.defaulted + tally.cancelled;
  const part = (n: number): number => (total > 0 ? n / total : 0);
  return {
    completed: part(tally.succeeded),
    defaulted: part(tally.defaulted),
    failed: part(tally.failed),
    cancelled: part(tally.cancelled),
    settled,
    total,
    text: `${String(settled)} / ${String(total)}`,
  };
}
