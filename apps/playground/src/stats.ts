import type { TimelineRow } from './timeline.js';

/**
 * The largest number of rows running at the same moment.
 *
 * @example
 * ```ts
 * report.result('peak concurrency', peakConcurrency(tl.rows()));
 * ```
 */
export function peakConcurrency(rows: readonly TimelineRow[]): number {
  const events: [number, number][] = [];
  for (const row of rows) {
    for (const segment of row.segments) {
      if (segment.phase !== 'run') continue;
      events.push([segment.start, 1], [segment.end, -1]);
    }
  }
  // At equal times an end sorts before a start: back-to-back runs do not overlap.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0;
  let peak = 0;
  for (const [, delta] of events) {
    running += delta;
    peak = Math.max(peak, running);
  }
  return peak;
}

/**
 * When each row first started running, in ms since the timeline began, in row order.
 *
 * @example
 * ```ts
 * report.result('starts (ms)', firstStarts(tl.rows()).map(Math.round));
 * ```
 */
export function firstStarts(rows: readonly TimelineRow[]): number[] {
  return rows.map((row) => row.segments.find((segment) => segment.phase === 'run')?.start ?? Number.NaN);
}

/**
 * The gaps between consecutive numbers (`[0, 50, 120]` -> `[50, 70]`).
 *
 * @example
 * ```ts
 * const spacing = gaps(firstStarts(tl.rows()));
 * ```
 */
export function gaps(values: readonly number[]): number[] {
  return values.slice(1).map((value, i) => value - (values[i] ?? 0));
}
