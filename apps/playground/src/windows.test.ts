import { describe, expect, it } from 'vitest';
import { checkWindows, windowSeries } from './windows.js';
import type { Release } from './windows.js';

const rel = (at: number, cost = 1, name = 'rps', index = 0): Release => ({ index, at, costs: { [name]: cost } });

/** The trailing-window cost at `t`, straight from the definition (with the same 1 ns of float slack). */
function bruteWindow(releases: Release[], name: string, interval: number, t: number): number {
  return releases.filter((r) => r.at <= t && t - r.at < interval - 1e-6).reduce((s, r) => s + (r.costs[name] ?? 0), 0);
}

/** A deterministic pseudo-random sequence. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 4294967296;
  };
}

describe('windowSeries', () => {
  it('rises at each release and falls one interval later', () => {
    expect(windowSeries([rel(10), rel(20)], 'rps', 100).map((p) => [Math.round(p.t), p.value])).toEqual([
      [0, 0],
      [10, 1],
      [20, 2],
      [110, 1],
      [120, 0],
    ]);
  });

  it('a release one interval after another replaces it at that instant: no overlap, no dip (float rounding included)', () => {
    for (const later of [100, 100 + 1e-9, 100 - 1e-9]) {
      const points = windowSeries([rel(0), rel(later)], 'rps', 100);
      expect(points.map((p) => p.value)).toEqual([1, 1, 0]);
      expect(checkWindows([rel(0), rel(later)], { name: 'rps', limit: 1, interval: 100 }).over).toBe(0);
    }
  });

  it('releases at one instant are one step; costs add; zero-cost releases draw nothing', () => {
    expect(windowSeries([rel(5, 3), rel(5, 4)], 'tok', 50).map((p) => p.value)).toEqual([0]);
    const tok = windowSeries([rel(5, 3, 'tok'), rel(5, 4, 'tok'), rel(7, 0, 'tok')], 'tok', 50);
    expect(tok.map((p) => p.value)).toEqual([0, 7, 0]);
  });

  it('matches the definition at every time, for random releases and costs', () => {
    const random = lcg(7);
    for (let round = 0; round < 30; round++) {
      const releases = Array.from({ length: 40 }, (_, i) => rel(Math.floor(random() * 2000), 1 + Math.floor(random() * 5), 'x', i));
      const interval = 50 + Math.floor(random() * 500);
      const points = windowSeries(releases, 'x', interval);
      for (let k = 0; k < points.length; k++) {
        const p = points[k];
        const next = points[k + 1]?.t ?? p!.t + 1;
        const mid = (p!.t + next) / 2;
        expect(p!.value).toBe(bruteWindow(releases, 'x', interval, mid));
      }
    }
  });
});

describe('checkWindows', () => {
  it('counts 0 over the limit when every window holds at most the limit', () => {
    const releases = Array.from({ length: 20 }, (_, i) => rel(Math.floor(i / 5) * 1000 + i, 1));
    expect(checkWindows(releases, { name: 'rps', limit: 5, interval: 1000 })).toMatchObject({ peak: 5, over: 0, firstOverAt: undefined });
  });

  it('counts each release that lands in an overfull window (a burst after a stall)', () => {
    // 5 per second, then 3 more 400 ms later: those 3 overshoot.
    const releases = [0, 1, 2, 3, 4].map((i) => rel(i)).concat([404, 404, 404].map((t) => rel(t)));
    expect(checkWindows(releases, { name: 'rps', limit: 5, interval: 1000 })).toMatchObject({ peak: 8, over: 3, firstOverAt: 404 });
  });

  it('weighs costs: one costly release can overshoot alone next to cheap ones', () => {
    const releases = [rel(0, 30, 'tok'), rel(10, 30, 'tok'), rel(999, 50, 'tok'), rel(1010, 40, 'tok')];
    expect(checkWindows(releases, { name: 'tok', limit: 100, interval: 1000 })).toMatchObject({ peak: 110, over: 1, firstOverAt: 999 });
  });

  it('agrees with the step series on the peak, and with the definition on every release, for random data', () => {
    const random = lcg(11);
    for (let round = 0; round < 30; round++) {
      const releases = Array.from({ length: 30 }, (_, i) => rel(Math.floor(random() * 1500), 1 + Math.floor(random() * 3), 'x', i));
      const spec = { name: 'x', limit: 6, interval: 100 + Math.floor(random() * 300) };
      const check = checkWindows(releases, spec);
      const seriesPeak = Math.max(...windowSeries(releases, 'x', spec.interval).map((p) => p.value));
      expect(check.peak).toBe(seriesPeak);
      const over = releases.filter((r) => bruteWindow(releases, 'x', spec.interval, r.at) > spec.limit).length;
      expect(check.over).toBe(over);
    }
  });
});
