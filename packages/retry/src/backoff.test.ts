import { describe, expect, it } from 'vitest';
import { scripted } from '@lf/test-support';
import { backoffDelays } from './backoff.js';

describe('backoffDelays', () => {
  it('gives one wait per retry: retryDelay, then multiplied by backoffFactor', () => {
    expect([...backoffDelays({ numRetries: 5, retryDelay: 100, backoffFactor: 2 })]).toEqual([100, 200, 400, 800, 1600]);
  });

  it('keeps a constant delay with the default backoffFactor of 1, and none without retries', () => {
    expect([...backoffDelays({ numRetries: 3, retryDelay: 50 })]).toEqual([50, 50, 50]);
    expect([...backoffDelays()]).toEqual([]);
  });

  it('caps every wait at maxDelay', () => {
    expect([...backoffDelays({ numRetries: 5, retryDelay: 100, backoffFactor: 3, maxDelay: 1000 })]).toEqual([100, 300, 900, 1000, 1000]);
    expect([...backoffDelays({ numRetries: 2, retryDelay: 100, maxDelay: 40 })]).toEqual([40, 40]);
  });

  it('full jitter: random(0, d) of the capped exponential delay', () => {
    const random = scripted(0.5, 0, 0.25, 0.999);
    expect([...backoffDelays({ numRetries: 4, retryDelay: 100, backoffFactor: 2, maxDelay: 300, jitter: 'full', random })]).toEqual([
      50, 0, 75, 299.7,
    ]);
  });

  it('equal jitter: d/2 + random(0, d/2)', () => {
    const random = scripted(0, 0.5, 1);
    expect([...backoffDelays({ numRetries: 3, retryDelay: 100, backoffFactor: 2, jitter: 'equal', random })]).toEqual([50, 150, 400]);
  });

  it('decorrelated jitter: min(maxDelay, random(retryDelay, previous * 3 * backoffFactor))', () => {
    // previous starts at retryDelay = 100: random(100, 300) at 0.5 = 200; random(100, 600) at 0.5 = 350;
    // random(100, 1050) at 1 = 1050, capped to 1000; random(100, 3000) at 0 = 100.
    const random = scripted(0.5, 0.5, 1, 0);
    expect([...backoffDelays({ numRetries: 4, retryDelay: 100, maxDelay: 1000, jitter: 'decorrelated', random })]).toEqual([
      200, 350, 1000, 100,
    ]);
    // backoffFactor widens the window: random(100, 100 * 3 * 2) at 0.5 = 350.
    expect([...backoffDelays({ numRetries: 1, retryDelay: 100, backoffFactor: 2, jitter: 'decorrelated', random: () => 0.5 })]).toEqual([
      350,
    ]);
  });

  it('every jitter mode gives 0 when retryDelay is 0', () => {
    for (const jitter of ['none', 'full', 'equal', 'decorrelated'] as const) {
      expect([...backoffDelays({ numRetries: 3, backoffFactor: 2, jitter, random: () => 0.7 })], jitter).toEqual([0, 0, 0]);
    }
  });

  it('never produces NaN when the exponential delay overflows to Infinity', () => {
    const delays = [...backoffDelays({ numRetries: 1100, retryDelay: 1, backoffFactor: 2, jitter: 'full', random: () => 0 })];
    expect(delays.every((d) => d === 0)).toBe(true);
  });

  it('is endless with numRetries: Infinity', () => {
    const it = backoffDelays({ numRetries: Infinity, retryDelay: 10 });
    for (let i = 0; i < 100; i++) expect(it.next()).toEqual({ value: 10, done: false });
  });

  it('validates at once, like retry', () => {
    expect(() => backoffDelays({ jitter: 'bogus' as never })).toThrow(RangeError);
  });
});
