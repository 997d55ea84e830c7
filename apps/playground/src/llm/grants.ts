/**
 * A recording wrapper around a RateLimiter for alcall's `rateLimiter` option:
 * alcall acquires before every attempt and does not hand the Grant to `fn`,
 * so the wrapper keeps each grant under its cost object (the one `cost(item)`
 * returned, passed through unchanged), where `fn` finds it to `settle` the
 * real usage. It also records each release time on the limiter's own clock
 * (`grant.at`), which is where the limits are promised to hold.
 */
import type { Cost, Grant, RateLimiter } from '@lf/async-utils';
import type { Release } from '../windows.js';

export interface GrantBook {
  /** What to pass as alcall's `rateLimiter`. */
  readonly rateLimiter: { acquire(options: { signal?: AbortSignal; cost?: Cost }): Promise<Grant> };
  /** Every release, in order: `at` in ms since `origin`, the costs counted (updated by `settle`). */
  readonly releases: Release[];
  /** `grant.settle(used)` for the latest grant taken with this cost object; records the new cost. */
  settle(cost: Readonly<Record<string, number>>, used: Readonly<Record<string, number>>): void;
}

/**
 * Wraps `limiter`; release times are ms since `origin` (a `performance.now()` reading).
 *
 * @example
 * const book = grantBook(limiter, performance.now());
 * await alcall(prompts, async (p) => { const r = await api.complete(p); book.settle(p.cost, { tokens: r.usage.tokens }); }, {
 *   rateLimiter: book.rateLimiter,
 *   cost: (p) => p.cost,
 * });
 */
export function grantBook(limiter: RateLimiter, origin: number, names: readonly string[]): GrantBook {
  const latest = new Map<object, { grant: Grant; release: Release }>();
  const releases: Release[] = [];
  const counted = (cost: Cost | undefined): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const name of names) out[name] = typeof cost === 'number' ? cost : (cost?.[name] ?? 1);
    return out;
  };
  return {
    releases,
    rateLimiter: {
      async acquire(options) {
        const grant = await limiter.acquire(options);
        const release: Release = { index: releases.length, at: grant.at - origin, costs: counted(options.cost) };
        releases.push(release);
        if (typeof options.cost === 'object') latest.set(options.cost, { grant, release });
        return grant;
      },
    },
    settle(cost, used) {
      const entry = latest.get(cost);
      if (entry === undefined) throw new Error('no grant was taken with this cost object');
      entry.grant.settle(used);
      entry.release.costs = { ...entry.release.costs, ...used };
    },
  };
}
