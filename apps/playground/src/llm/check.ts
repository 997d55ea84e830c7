/**
 * What every LLM scenario prints and checks about its limits: for each named
 * limit, the busiest trailing window of the recorded releases (their costs as
 * settled) against the limit. The bound is lf's promise, so a busy machine
 * can make the numbers smaller, never larger.
 */
import type { Report } from '../report.js';
import { formatMs } from '../timeline.js';
import { checkWindows } from '../windows.js';
import type { RateLimitSpec, Release } from '../windows.js';

/**
 * Prints `<name> in the busiest <interval> window: <peak> (limit <limit>)` per limit and checks it.
 *
 * @example
 * reportWindows(report, book.releases, [{ name: 'requests', limit: 4, interval: 500 }]);
 * // requests in the busiest 500ms window: 4 (limit 4)
 */
export function reportWindows(report: Report, releases: readonly Release[], limits: readonly RateLimitSpec[]): void {
  for (const limit of limits) {
    const check = checkWindows(releases, limit);
    report.line(`${limit.name} in the busiest ${formatMs(limit.interval)} window: ${String(check.peak)} (limit ${String(limit.limit)})`);
    report.check(check.over === 0, `${limit.name}: ${String(check.over)} release(s) in a window over the limit ${String(limit.limit)}`);
  }
}

/** Release times in whole ms, in the order they happened. */
export function releaseTimes(releases: readonly Release[]): number[] {
  return releases.map((r) => Math.round(r.at));
}
