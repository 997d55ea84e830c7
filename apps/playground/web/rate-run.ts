/**
 * One run of the rate window view: the same workload through lf's
 * `RateLimiter` (several named limits, costs, `settle`, `pause`) and through
 * p-throttle in strict mode (one throttle per limit, `weight` as the cost),
 * recording when each call was let through. A chosen call blocks the event
 * loop for a chosen time (a long synchronous parse, a GC pause, a busy tab):
 * timers fire late, and whatever a limiter planned before the stall is tested
 * against real time.
 */
import { RateLimiter } from '@lf/async-utils';
import type { Grant } from '@lf/async-utils';
import pThrottle from 'p-throttle';
import type { Release, RateLimitSpec } from '../src/windows.js';
import { unit } from './workload.js';

/** A limit row of the form: the limit, and what each call costs and really uses. */
export interface LimitRow extends RateLimitSpec {
  /** Each call's cost against this limit: uniform in [costMin, costMax] (integers), seeded. */
  costMin: number;
  costMax: number;
  /** Percent of its cost a call really used: what Settle records (100 = as acquired). */
  usedPercent: number;
}

export interface RateSettings {
  calls: number;
  limits: LimitRow[];
  /** The call whose body blocks the event loop (-1: none). */
  stallAt: number;
  /** How long it blocks, ms. */
  stallMs: number;
  /** Settle each lf grant as its call ends (else only when Settle is pressed). */
  autoSettle: boolean;
  seed: number;
}

/**
 * A run that shows the difference in about 5 s a side: call 12 blocks the loop
 * for 1.5 s, and p-throttle (which planned its calls' times before the stall)
 * lets the late ones through together, over both limits; lf stays within them.
 */
export const DEFAULT_RATE_SETTINGS: RateSettings = {
  calls: 40,
  limits: [
    { name: 'tokens', limit: 600, interval: 1000, costMin: 10, costMax: 60, usedPercent: 50 },
    { name: 'requests', limit: 10, interval: 1000, costMin: 1, costMax: 1, usedPercent: 100 },
  ],
  stallAt: 12,
  stallMs: 1500,
  autoSettle: false,
  seed: 3,
};

export type SideName = 'lf' | 'p-throttle';

/** What one limiter did with the workload. */
export interface SideRecord {
  readonly side: SideName;
  /** Releases in the order they happened; an lf release's costs change when it is settled. */
  readonly releases: Release[];
  /** When the event loop was blocked, ms since `origin`. */
  readonly stalls: [number, number][];
  /** lf's pause(ms) calls, ms since `origin`: nothing is released inside one. */
  readonly pauses: [number, number][];
  /** performance.now() when the side started. */
  origin: number;
  finishedAt: number | undefined;
  error: unknown;
  /** Bumped on every change: a view redraws when it moves. */
  version: number;
}

/**
 * Each call's cost by limit name (integers, seeded: the same for both sides and every replay).
 *
 * @example
 * costsOf(DEFAULT_RATE_SETTINGS, 0); // { requests: 1, tokens: 10..60 }
 */
export function costsOf(settings: RateSettings, index: number): Record<string, number> {
  const costs: Record<string, number> = {};
  settings.limits.forEach((row, k) => {
    const lo = Math.min(row.costMin, row.costMax);
    const hi = Math.max(row.costMin, row.costMax);
    costs[row.name] = lo + Math.floor(unit(settings.seed, index, k, 7) * (hi - lo + 1));
  });
  return costs;
}

/**
 * What a call really used (its cost × usedPercent): what a settle records.
 *
 * @example
 * usedCosts(DEFAULT_RATE_SETTINGS, { requests: 1, tokens: 40 }); // { requests: 1, tokens: 20 }
 */
export function usedCosts(settings: RateSettings, costs: Readonly<Record<string, number>>): Record<string, number> {
  const used: Record<string, number> = {};
  for (const row of settings.limits) used[row.name] = Math.round(((costs[row.name] ?? 0) * row.usedPercent) / 100);
  return used;
}

/** Blocks the event loop for `ms` (a busy wait on the clock). */
export function blockFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin: nothing else runs meanwhile, timers included
  }
}

function newRecord(side: SideName): SideRecord {
  return { side, releases: [], stalls: [], pauses: [], origin: performance.now(), finishedAt: undefined, error: undefined, version: 0 };
}

/** The body of every call: the chosen one blocks the event loop. */
function body(settings: RateSettings, record: SideRecord, index: number): void {
  if (index !== settings.stallAt || settings.stallMs <= 0) return;
  const start = performance.now() - record.origin;
  blockFor(settings.stallMs);
  record.stalls.push([start, performance.now() - record.origin]);
  record.version++;
}

/** The lf side while it runs: its record and the buttons' actions. */
export interface LfRun {
  readonly record: SideRecord;
  readonly limiter: RateLimiter;
  readonly done: Promise<void>;
  /** Settles every grant not settled yet with what its call used; returns how many. */
  settle(): number;
  /** `limiter.pause(ms)`, recorded. */
  pause(ms: number): void;
}

/**
 * Runs the workload through one lf RateLimiter with a named limit per row:
 * every call `acquire`s its costs at once; the release time is the grant's `at`.
 *
 * @example
 * const run = runLf(DEFAULT_RATE_SETTINGS);
 * await run.done;
 * run.record.releases.length; // 30
 */
export function runLf(settings: RateSettings): LfRun {
  const limits: Record<string, { limit: number; interval: number }> = {};
  for (const row of settings.limits) limits[row.name] = { limit: row.limit, interval: row.interval };
  const limiter = new RateLimiter({ limits });
  const record = newRecord('lf');
  const unsettled = new Map<Release, Grant>();

  const settleOne = (release: Release, grant: Grant): void => {
    const used = usedCosts(settings, release.costs);
    grant.settle(used);
    release.costs = used;
    unsettled.delete(release);
    record.version++;
  };

  const call = async (index: number): Promise<void> => {
    const costs = costsOf(settings, index);
    const grant = await limiter.acquire({ cost: costs });
    const release: Release = { index, at: grant.at - record.origin, costs: { ...costs } };
    record.releases.push(release);
    unsettled.set(release, grant);
    record.version++;
    body(settings, record, index);
    if (settings.autoSettle) settleOne(release, grant);
  };

  const done = finished(
    record,
    Array.from({ length: settings.calls }, (_, i) => call(i)),
  );

  return {
    record,
    limiter,
    done,
    settle() {
      const pending = [...unsettled];
      for (const [release, grant] of pending) settleOne(release, grant);
      return pending.length;
    },
    pause(ms) {
      const start = performance.now() - record.origin;
      limiter.pause(ms);
      record.pauses.push([start, start + ms]);
      record.version++;
    },
  };
}

/**
 * Runs the same workload through p-throttle, strict mode: one throttle per
 * limit, nested in row order, each weighing a call by its cost for that limit.
 * The release time is when p-throttle calls the function.
 *
 * @example
 * const run = runPThrottle(DEFAULT_RATE_SETTINGS);
 * await run.done;
 */
export function runPThrottle(settings: RateSettings): { record: SideRecord; done: Promise<void> } {
  const record = newRecord('p-throttle');
  let fn = async (index: number): Promise<void> => {
    record.releases.push({ index, at: performance.now() - record.origin, costs: costsOf(settings, index) });
    record.version++;
    body(settings, record, index);
    return Promise.resolve();
  };
  // The first row's throttle is the outermost: a call waits for each limit in row order.
  // A row whose every call costs 1 gets no `weight`, as a p-throttle user would write it.
  for (const row of [...settings.limits].reverse()) {
    const unweighted = row.costMin === 1 && row.costMax === 1;
    fn = pThrottle({
      limit: row.limit,
      interval: row.interval,
      strict: true,
      ...(unweighted ? {} : { weight: (index: number) => costsOf(settings, index)[row.name] ?? 0 }),
    })(fn);
  }
  const calls = Array.from({ length: settings.calls }, (_, i) => fn(i));
  const done = finished(record, calls);
  return { record, done };
}

/** Resolves once every call settled, recording when the side finished and its first error (never rejects). */
function finished(record: SideRecord, calls: readonly Promise<unknown>[]): Promise<void> {
  return Promise.all(calls).then(
    () => {
      record.finishedAt = performance.now() - record.origin;
      record.version++;
    },
    (error: unknown) => {
      record.error = error;
      record.finishedAt = performance.now() - record.origin;
      record.version++;
    },
  );
}
