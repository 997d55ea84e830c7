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
  const intervals: [number, number][] = [];
  for (const row of rows) {
    for (const segment of row.segments) {
      if (segment.phase === 'run') intervals.push([segment.start, segment.end]);
    }
  }
  return peakOverlap(intervals);
}

/**
 * The largest number of `[start, end]` intervals open at one moment (a sweep
 * over their edges). At equal times an end sorts before a start, so
 * back-to-back intervals — a slot handed over — do not count as overlapping.
 *
 * @example
 * ```ts
 * peakOverlap([[0, 10], [5, 15], [10, 20]]); // 2
 * ```
 */
export function peakOverlap(intervals: readonly (readonly [number, number])[]): number {
  const edges: [number, number][] = [];
  for (const [start, end] of intervals) edges.push([start, 1], [end, -1]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, step] of edges) {
    open += step;
    peak = Math.max(peak, open);
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
/**
 * The least gap the demos accept between two starts of calls spaced by `period`.
 * The limiters' guarantee is on release times (exact, tested in @lf/throttle);
 * a demo reads each start inside the call, a little after its release, and a
 * busy machine that pauses the process between the two makes that start late
 * and the gap after it short by as much. So the demos check starts against
 * 80% of the period: a lost spacing still shows, a descheduled process does not.
 */
export function minStartGap(period: number): number {
  return period * 0.8;
}

export function gaps(values: readonly number[]): number[] {
  return values.slice(1).map((value, i) => value - (values[i] ?? 0));
}
