import { describe, expect, it } from 'vitest';
import { formatMs, niceCeil, ticks, tickStep } from './axis.js';

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

describe('ticks', () => {
  it('gives 4 to 11 evenly spaced ticks from 0 to the end of every nice axis', () => {
    for (let ms = 100; ms < 100_000; ms = Math.ceil(ms * 1.07)) {
      const domain = niceCeil(ms);
      const all = ticks(domain);
      expect(all[0]).toBe(0);
      expect(all.length).toBeGreaterThanOrEqual(4);
      expect(all.length).toBeLessThanOrEqual(11);
      const step = tickStep(domain);
      all.forEach((t, i) => {
        expect(t).toBeCloseTo(i * step, 9);
      });
    }
  });
});

describe('formatMs (tick labels)', () => {
  it('reads a 1250 ms tick as 1.25 s, not 1.3 s: seconds keep the decimals they need', () => {
    expect(formatMs(1250)).toBe('1.25 s');
    expect(formatMs(3750)).toBe('3.75 s');
    expect(formatMs(1500)).toBe('1.5 s');
    expect(formatMs(2000)).toBe('2 s');
    expect(formatMs(1125)).toBe('1.125 s');
  });

  it('labels every tick of every nice axis exactly (the label, read back, is the tick)', () => {
    for (let ms = 100; ms < 100_000; ms = Math.ceil(ms * 1.07)) {
      for (const t of ticks(niceCeil(ms))) {
        const label = formatMs(t);
        const back = label === '0' ? 0 : label.endsWith(' s') ? Number(label.slice(0, -2)) * 1000 : Number(label.slice(0, -3));
        expect(back).toBeCloseTo(t, 6);
      }
    }
  });

  it('prints milliseconds below one second, rounded, and 0 bare', () => {
    expect(formatMs(0)).toBe('0');
    expect(formatMs(250)).toBe('250 ms');
    expect(formatMs(12.4)).toBe('12 ms');
  });
});
