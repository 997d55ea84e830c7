/** The release log of a rate-limiter test, and the checks run on it. */

/** One release as a test records it: its time (`grant.at`) and its cost per limit (in the limiter's order). */
export interface Released {
  at: number;
  costs: readonly number[];
}

/**
 * Checks EVERY window of every limit: the heaviest window of `interval` ms
 * starts at a release, so for each release `k` it sums the costs of the
 * releases in the half-open `[at_k, at_k + interval)`, with the limiter's own
 * comparison (`at_k + interval <= at_j` means j is outside). Returns the
 * windows over their limit (empty when the guarantee holds), exact: no slack.
 */
export function windowsOver(
  releases: readonly Released[],
  limits: readonly { limit: number; interval: number }[],
): { limit: number; from: number; sum: number }[] {
  const sorted = [...releases].sort((a, b) => a.at - b.at);
  const over: { limit: number; from: number; sum: number }[] = [];
  limits.forEach(({ limit, interval }, li) => {
    sorted.forEach(({ at: from }, k) => {
      let sum = 0;
      for (const { at, costs } of sorted.slice(k)) {
        if (from + interval <= at) break;
        sum += costs[li] ?? 1;
      }
      if (sum > limit) over.push({ limit: li, from, sum });
    });
  });
  return over;
}

/** Smallest gap between consecutive release times. */
export function minGap(ats: readonly number[]): number {
  const sorted = [...ats].sort((a, b) => a - b);
  let gap = Infinity;
  sorted.forEach((at, i) => {
    if (i > 0) gap = Math.min(gap, at - (sorted[i - 1] ?? at));
  });
  return gap;
}

/** Blocks the event loop for `ms` of real time (a synchronous busy wait). */
export function blockFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* busy */
  }
}
