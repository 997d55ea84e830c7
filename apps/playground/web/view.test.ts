import { describe, expect, it } from 'vitest';
import { labelStride, laneHeight } from './view.js';

describe('lane labels', () => {
  it('every lane keeps its label while lanes are tall enough (up to 40 items)', () => {
    for (let count = 1; count <= 40; count++) expect(labelStride(laneHeight(count))).toBe(1);
  });

  it('past 40 items the labels thin out to a round stride at least 12 px apart, never to none', () => {
    for (let count = 41; count <= 500; count++) {
      const h = laneHeight(count);
      const stride = labelStride(h);
      expect([1, 2, 5, 10, 20, 50, 100]).toContain(stride);
      expect(stride * h).toBeGreaterThanOrEqual(12);
      // the next smaller round stride would crowd them
      const smaller = [1, 2, 5, 10, 20, 50].filter((s) => s < stride).at(-1);
      if (smaller !== undefined) expect(smaller * h).toBeLessThan(12);
      expect(Math.ceil(count / stride)).toBeGreaterThanOrEqual(Math.floor(560 / 12 / 2.5));
    }
  });

  it('lanes are 4 to 22 px and fill about 560 px', () => {
    expect(laneHeight(1)).toBe(22);
    expect(laneHeight(100)).toBe(5);
    expect(laneHeight(500)).toBe(4);
  });
});
