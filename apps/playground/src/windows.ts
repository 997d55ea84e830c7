/**
 * Rate windows on recorded release times: the cost in the trailing window
 * `(t - interval, t]` as a step function of time, its peak, and how many
 * releases landed in a window holding more than the limit. Pure data, no DOM:
 * the web rate view draws it, the terminal LLM scenarios check their bounds
 * with it, the unit and e2e tests recompute it.
 */

/** One named limit: at most `limit` cost in any `interval` ms. */
export interface RateLimitSpec {
  name: string;
  limit: number;
  interval: number;
}

/** A call let through by a limiter. */
export interface Release {
  /** The call's position in the workload. */
  index: number;
  /** ms since the run started, on the `performance.now()` clock. */
  at: number;
  /** The cost counted against each limit, by limit name (a settled grant's corrected cost). */
  costs: Record<string, number>;
}

/** The trailing-window cost from `t` until the next point. */
export interface WindowPoint {
  t: number;
  value: number;
}

export interface WindowCheck {
  limit: RateLimitSpec;
  /** The largest trailing-window cost at any time. */
  peak: number;
  /** Releases whose trailing window (ending at their release) holds more than the limit. */
  over: number;
  /** The first such release's time, or undefined. */
  firstOverAt: number | undefined;
}

/**
 * Two releases share a window when they are less than `interval` apart. The
 * times are floats from `performance.now()`: a gap short of `interval` by less
 * than this (1 ns) is rounding, not a shared window.
 */
const EPSILON = 1e-6;

function costOf(release: Release, name: string): number {
  return release.costs[name] ?? 0;
}

/**
 * The cost in the trailing window `(t - interval, t]` as a step function: it
 * rises at each release and falls `interval` ms later. Starts with `{ t: 0, value: 0 }`;
 * one point per time at which the value changes (releases at the same instant are one step).
 *
 * @example
 * windowSeries([{ index: 0, at: 10, costs: { rpm: 1 } }, { index: 1, at: 20, costs: { rpm: 1 } }], 'rpm', 100);
 * // [{ t: 0, value: 0 }, { t: 10, value: 1 }, { t: 20, value: 2 }, { t: 110, value: 1 }, { t: 120, value: 0 }]
 */
export function windowSeries(releases: readonly Release[], name: string, interval: number): WindowPoint[] {
  const events: [number, number][] = [];
  for (const r of releases) {
    const cost = costOf(r, name);
    if (cost === 0) continue;
    events.push([r.at, cost], [r.at + interval, -cost]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const points: WindowPoint[] = [{ t: 0, value: 0 }];
  let value = 0;
  for (let i = 0; i < events.length;) {
    // Changes within EPSILON of each other are one instant (float rounding): a release one
    // interval after another replaces it there, with no dip to draw in between.
    const t = events[i]?.[0] ?? 0;
    for (; i < events.length && (events[i]?.[0] ?? 0) - t <= EPSILON; i++) value += events[i]?.[1] ?? 0;
    if (Math.abs(value) < 1e-9) value = 0;
    const last = points[points.length - 1];
    if (last !== undefined && t - last.t <= EPSILON) last.value = value;
    else points.push({ t, value });
  }
  return points;
}

/**
 * Checks one limit over the recorded releases: the peak trailing-window cost
 * and the releases that overshot (their window, ending at their release and
 * including every release at that same instant, holds more than `limit`).
 *
 * @example
 * const rel = [0, 1, 2].map((i) => ({ index: i, at: i * 10, costs: { rps: 1 } }));
 * checkWindows(rel, { name: 'rps', limit: 2, interval: 1000 }); // { peak: 3, over: 1, firstOverAt: 20, ... }
 */
export function checkWindows(releases: readonly Release[], limit: RateLimitSpec): WindowCheck {
  const sorted = releases.filter((r) => costOf(r, limit.name) > 0).sort((a, b) => a.at - b.at);
  const times = sorted.map((r) => r.at);
  const costs = sorted.map((r) => costOf(r, limit.name));
  let peak = 0;
  let over = 0;
  let firstOverAt: number | undefined;
  let head = 0;
  let sum = 0;
  for (let i = 0; i < times.length;) {
    const at = times[i] ?? 0;
    // The group of releases at this instant.
    let j = i;
    for (; j < times.length && times[j] === at; j++) sum += costs[j] ?? 0;
    for (; head < i && at - (times[head] ?? 0) >= limit.interval - EPSILON; head++) sum -= costs[head] ?? 0;
    if (sum > peak) peak = sum;
    if (sum > limit.limit + 1e-9) {
      over += j - i;
      firstOverAt ??= at;
    }
    i = j;
  }
  return { limit, peak, over, firstOverAt };
}
