import { describe, expect, it } from 'vitest';
import { niceCeil } from './view.js';

describe('niceCeil', () => {
  it('rounds an axis length up to a round value, never below it', () => {
    expect(niceCeil(1730)).toBe(2000);
    expect(niceCeil(4090)).toBe(4500);
    expect(niceCeil(800)).toBe(800);
    expect(niceCeil(801)).toBe(900);
    for (let ms = 100; ms < 100_000; ms = Math.ceil(ms * 1.07)) {
      const axis = niceCeil(ms);
      expect(axis).toBeGreaterThanOrEqual(ms);
      expect(axis).toBeLessThan(ms * 1.34); // the widest step is 1.5 → 2
    }
  });

  it('keeps a 100 ms minimum for runs that end at once', () => {
    expect(niceCeil(0)).toBe(100);
    expect(niceCeil(3)).toBe(100);
  });
});
