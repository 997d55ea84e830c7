import { describe, expect, it } from 'vitest';
import { CHART_BOX, linear, overRanges, scales, stepPoints, yTop } from './rate-chart.js';
import { windowSeries } from '../src/windows.js';

describe('scales', () => {
  it('maps time 0..domain onto the plotting area left to right, and cost 0..yMax bottom to top', () => {
    const { x, y } = scales(CHART_BOX, 4000, 12);
    expect(x(0)).toBe(CHART_BOX.left);
    expect(x(4000)).toBe(CHART_BOX.width - CHART_BOX.right);
    expect(y(0)).toBe(CHART_BOX.height - CHART_BOX.bottom);
    expect(y(12)).toBe(CHART_BOX.top);
    expect(linear(0, 0, 5, 9)(3)).toBe(5);
  });
});

describe('stepPoints', () => {
  it('draws each value flat until the next change, then a vertical step, up to the end', () => {
    const series = [
      { t: 0, value: 0 },
      { t: 10, value: 2 },
      { t: 30, value: 1 },
    ];
    expect(
      stepPoints(
        series,
        (t) => t,
        (v) => 100 - v,
        50,
      ),
    ).toBe('0,100 10,100 10,98 30,98 30,99 50,99');
  });

  it('reads back to the series it drew: every vertical step sits at a release or an expiry', () => {
    const releases = [0, 100, 100, 250].map((at, index) => ({ index, at, costs: { rps: 1 } }));
    const series = windowSeries(releases, 'rps', 1000);
    const points = stepPoints(
      series,
      (t) => t,
      (v) => v,
      1500,
    )
      .split(' ')
      .map((p) => p.split(',').map(Number) as [number, number]);
    const steps = points.filter((p, i) => i > 0 && points[i - 1]?.[0] === p[0] && points[i - 1]?.[1] !== p[1]);
    expect(steps.map(([t, v]) => [Math.round(t), v])).toEqual([
      [100, 3],
      [250, 4],
      [1000, 3],
      [1100, 1],
      [1250, 0],
    ]);
    // the first release at t = 0 is the first point's value
    expect(points[0]).toEqual([0, 1]);
  });

  it('stops at the end of a live run', () => {
    const series = [
      { t: 0, value: 0 },
      { t: 10, value: 2 },
      { t: 30, value: 1 },
    ];
    expect(
      stepPoints(
        series,
        (t) => t,
        (v) => v,
        20,
      ),
    ).toBe('0,0 10,0 10,2 20,2');
  });
});

describe('overRanges', () => {
  it('marks the stretches above the limit, closing an open one at the end', () => {
    const series = [
      { t: 0, value: 0 },
      { t: 5, value: 3 },
      { t: 9, value: 1 },
      { t: 12, value: 4 },
    ];
    expect(overRanges(series, 2, 20)).toEqual([
      [5, 9],
      [12, 20],
    ]);
    expect(overRanges(series, 4, 20)).toEqual([]);
  });
});

describe('yTop', () => {
  it('leaves room above the limit and the peak, on a round value', () => {
    expect(yTop(10, 7)).toBe(12);
    expect(yTop(10, 15)).toBe(20);
    expect(yTop(400, 380)).toBe(500);
    for (let v = 1; v < 5000; v = Math.ceil(v * 1.13)) {
      expect(yTop(v, 0)).toBeGreaterThan(v);
      expect(yTop(v, 0)).toBeLessThanOrEqual(v * 1.12 * 1.34);
    }
  });
});
