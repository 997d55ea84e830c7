/**
 * Real time, real timers, a loaded machine: only the side the guarantee fixes
 * is asserted (no window over its limit, no two Throttle releases closer than
 * the period), exactly, on `grant.at` (the clock the limiter decides with).
 */
import { describe, expect, it } from 'vitest';
import { blockFor, minGap, windowsOver } from '@lf/test-support';
import { RateLimiter } from './rate-limiter.js';
import { Throttle } from './throttle.js';

describe('RateLimiter on real time, with the event loop blocked inside a released call', () => {
  it.each([0.3, 0.8, 1.5, 3])('a %sx interval block never lets a window hold more than limit', async (factor) => {
    const limit = 3;
    const interval = 50;
    const limiter = new RateLimiter({ limit, interval });
    const ats: number[] = [];
    const all = Array.from({ length: 10 }, (_, i) =>
      limiter.acquire().then((grant) => {
        ats.push(grant.at);
        if (i === limit) blockFor(factor * interval); // the first of the second window blocks the loop
      }),
    );
    await Promise.all(all);
    expect(ats).toHaveLength(10);
    expect(
      windowsOver(
        ats.map((at) => ({ at, costs: [1] })),
        [{ limit, interval }],
      ),
    ).toEqual([]);
  });

  it.each([0.3, 0.8, 1.5, 3])('Throttle: a %sx period block never lets two releases come closer than the period', async (factor) => {
    const period = 30;
    const throttle = new Throttle(period);
    const ats: number[] = [];
    const all = Array.from({ length: 8 }, (_, i) =>
      throttle.acquire().then((grant) => {
        ats.push(grant.at);
        if (i === 2) blockFor(factor * period);
      }),
    );
    await Promise.all(all);
    expect(ats).toHaveLength(8);
    for (let i = 1; i < ats.length; i++) expect((ats[i - 1] ?? 0) + period <= (ats[i] ?? 0)).toBe(true);
    expect(minGap(ats)).toBeGreaterThanOrEqual(period - 1e-9);
  });

  it.each([0.3, 0.8, 1.5, 3])('with costs and two named limits, a %sx block exceeds no window of either', async (factor) => {
    const limits = { requests: { limit: 4, interval: 40 }, tokens: { limit: 100, interval: 60 } };
    const limiter = new RateLimiter({ limits });
    const released: { at: number; costs: number[] }[] = [];
    const tokens = [30, 50, 10, 60, 0, 100, 20, 40, 40, 5];
    const all = tokens.map((t, i) =>
      limiter.acquire({ cost: { tokens: t } }).then((grant) => {
        released.push({ at: grant.at, costs: [1, t] });
        if (i === 1) blockFor(factor * 60);
      }),
    );
    await Promise.all(all);
    expect(released).toHaveLength(tokens.length);
    expect(windowsOver(released, [limits.requests, limits.tokens])).toEqual([]);
  });

  it('the issue repro: 15 acquires on { limit: 5, interval: 1000 }, the first blocks the loop for 400 ms: at most 5 starts in every real window', async () => {
    const limiter = new RateLimiter({ limit: 5, interval: 1000 });
    const ats: number[] = [];
    const starts: number[] = [];
    const all = Array.from({ length: 15 }, (_, i) =>
      limiter.acquire().then((grant) => {
        ats.push(grant.at);
        starts.push(performance.now());
        if (i === 0) blockFor(400);
      }),
    );
    await Promise.all(all);
    expect(
      windowsOver(
        ats.map((at) => ({ at, costs: [1] })),
        [{ limit: 5, interval: 1000 }],
      ),
    ).toEqual([]);
    // The starts the code saw come after their release, in the same order: still at most 5 per window,
    // allowing for the microseconds between a release and its continuation.
    const slack = 5;
    expect(
      windowsOver(
        starts.map((at) => ({ at, costs: [1] })),
        [{ limit: 5, interval: 1000 - slack }],
      ),
    ).toEqual([]);
  }, 10_000);
  it('counts a release from when its continuation can run: synchronous code after acquire() does not squeeze the next start into its window', async () => {
    const limiter = new RateLimiter({ limit: 1, interval: 100 });
    const first = limiter.acquire(); // released at once...
    blockFor(60); // ...but its continuation runs only when this synchronous code ends
    await first;
    const started = performance.now();
    await limiter.acquire();
    const next = performance.now();
    // Counted from the decision, the second start would come 40 ms after the first.
    expect(next - started).toBeGreaterThanOrEqual(100 - 5); // microseconds between the re-stamp and the start
  });
});
