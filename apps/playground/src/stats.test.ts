import { describe, expect, it } from 'vitest';
import { firstStarts, gaps, peakConcurrency, peakOverlap, minStartGap } from './stats.js';
import type { TimelineRow } from './timeline.js';

const row = (label: string, ...runs: [number, number][]): TimelineRow => ({
  label,
  segments: [{ phase: 'wait', start: 0, end: runs[0]?.[0] ?? 0 }, ...runs.map(([start, end]) => ({ phase: 'run' as const, start, end }))],
  marks: [],
  note: '',
});

describe('stats', () => {
  it('peakConcurrency counts overlapping runs, not back-to-back ones or waits', () => {
    expect(peakConcurrency([row('a', [0, 10]), row('b', [10, 20]), row('c', [10, 30])])).toBe(2);
    expect(peakConcurrency([row('a', [0, 10]), row('b', [0, 10]), row('c', [5, 6])])).toBe(3);
    expect(peakConcurrency([])).toBe(0);
  });

  it('firstStarts gives the first run of each row, NaN for a row that never ran', () => {
    expect(firstStarts([row('a', [5, 10], [20, 30]), row('b')])).toEqual([5, Number.NaN]);
  });

  it('gaps gives the differences between consecutive values', () => {
    expect(gaps([0, 50, 120])).toEqual([50, 70]);
    expect(gaps([7])).toEqual([]);
  });
});

describe('peakOverlap', () => {
  it('counts the most intervals open at once; back-to-back intervals do not overlap', () => {
    expect(
      peakOverlap([
        [0, 10],
        [5, 15],
        [10, 20],
      ]),
    ).toBe(2);
    expect(
      peakOverlap([
        [0, 10],
        [10, 20],
        [20, 30],
      ]),
    ).toBe(1);
    expect(
      peakOverlap([
        [0, Infinity],
        [1, 2],
        [1, 3],
      ]),
    ).toBe(3);
    expect(peakOverlap([])).toBe(0);
  });
});

describe('minStartGap', () => {
  it('accepts starts a descheduled process made short, never a lost spacing', () => {
    expect(minStartGap(80)).toBe(64);
    expect(minStartGap(50)).toBeGreaterThan(25); // two calls released together (gap ~0) always fail
  });
});
