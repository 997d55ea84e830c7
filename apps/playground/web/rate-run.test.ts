import { describe, expect, it } from 'vitest';
import { checkWindows } from '../src/windows.js';
import { blockFor, costsOf, DEFAULT_RATE_SETTINGS, runLf, runPThrottle, usedCosts } from './rate-run.js';
import type { RateSettings } from './rate-run.js';

/** A small workload: 14 calls at 5 per 200 ms, one stall of 300 ms in call 3. */
const SMALL: RateSettings = {
  calls: 14,
  limits: [
    { name: 'requests', limit: 5, interval: 200, costMin: 1, costMax: 1, usedPercent: 100 },
    { name: 'tokens', limit: 100, interval: 200, costMin: 10, costMax: 40, usedPercent: 50 },
  ],
  stallAt: 3,
  stallMs: 300,
  autoSettle: false,
  seed: 5,
};

describe('the rate workload', () => {
  it('gives each call the same integer costs in every row range, on every replay', () => {
    for (let i = 0; i < 200; i++) {
      const costs = costsOf(DEFAULT_RATE_SETTINGS, i);
      expect(costs).toEqual(costsOf(DEFAULT_RATE_SETTINGS, i));
      expect(costs.requests).toBe(1);
      expect(Number.isInteger(costs.tokens)).toBe(true);
      expect(costs.tokens).toBeGreaterThanOrEqual(10);
      expect(costs.tokens).toBeLessThanOrEqual(60);
    }
  });

  it('a settle records each cost times its row usedPercent, rounded', () => {
    expect(usedCosts(DEFAULT_RATE_SETTINGS, { requests: 1, tokens: 41 })).toEqual({ requests: 1, tokens: 21 });
  });

  it('blockFor blocks the event loop for at least the time asked', () => {
    const start = performance.now();
    blockFor(30);
    expect(performance.now() - start).toBeGreaterThanOrEqual(30);
  });
});

describe('runLf (real RateLimiter, real time)', () => {
  it('after a stall inside a call, no window of any limit holds more than the limit', async () => {
    const run = runLf(SMALL);
    await run.done;
    const { record } = run;
    expect(record.error).toBeUndefined();
    expect(record.releases.map((r) => r.index).sort((a, b) => a - b)).toEqual([...Array(14).keys()]);
    expect(record.stalls).toHaveLength(1);
    expect((record.stalls[0]?.[1] ?? 0) - (record.stalls[0]?.[0] ?? 0)).toBeGreaterThanOrEqual(300);
    for (const limit of SMALL.limits) expect(checkWindows(record.releases, limit).over).toBe(0);
  });

  it('settle replaces the recorded costs with what the calls used; pause holds every release until it ends', async () => {
    // 5 requests per 400 ms: after the first release, at least 800 ms of releases are still to come.
    const limits = SMALL.limits.map((l) => ({ ...l, interval: 400 }));
    const run = runLf({ ...SMALL, limits, stallAt: -1 });
    while (run.record.releases.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    const released = run.record.releases.length;
    expect(run.limiter.pendingCount).toBeGreaterThan(0);
    expect(run.settle()).toBe(released);
    for (const r of run.record.releases) expect(r.costs).toEqual(usedCosts(SMALL, costsOf(SMALL, r.index)));
    run.pause(250);
    const [from, to] = run.record.pauses[0] ?? [0, 0];
    await run.done;
    const later = run.record.releases.slice(released);
    expect(later.length).toBeGreaterThan(0);
    for (const r of later) expect(r.at < from || r.at >= to - 0.001).toBe(true);
    for (const limit of limits) expect(checkWindows(run.record.releases, limit).over).toBe(0);
  });
});

describe('runPThrottle', () => {
  it('lets every call through once (its windows are what the page compares)', async () => {
    const run = runPThrottle(SMALL);
    await run.done;
    expect(run.record.error).toBeUndefined();
    expect(run.record.releases.map((r) => r.index).sort((a, b) => a - b)).toEqual([...Array(14).keys()]);
    expect(run.record.stalls).toHaveLength(1);
  });
});
