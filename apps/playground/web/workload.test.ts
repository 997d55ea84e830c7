import { describe, expect, it } from 'vitest';
import { planAttempt, SimulatedFailure } from './workload.js';

const base = { latencyMin: 100, latencyMax: 300, failureRate: 0.3, seed: 42 };

describe('planAttempt', () => {
  it('replays the same plan for the same (seed, item, attempt), whatever the call order', () => {
    const forward = Array.from({ length: 50 }, (_, i) => planAttempt(base, i, 1));
    const backward = Array.from({ length: 50 }, (_, i) => planAttempt(base, 49 - i, 1)).reverse();
    expect(backward).toEqual(forward);
  });

  it('keeps latencies within [min, max] (either order) and spreads them', () => {
    const latencies = Array.from({ length: 500 }, (_, i) => planAttempt({ ...base, latencyMin: 300, latencyMax: 100 }, i, 2).latency);
    expect(Math.min(...latencies)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...latencies)).toBeLessThanOrEqual(300);
    expect(new Set(latencies).size).toBeGreaterThan(100);
  });

  it('fails about failureRate of the attempts; 0 never fails and 1 always does', () => {
    const plans = (rate: number) => Array.from({ length: 2000 }, (_, i) => planAttempt({ ...base, failureRate: rate }, i, 1 + (i % 3)));
    const share = plans(0.3).filter((p) => p.fails).length / 2000;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
    expect(plans(0).some((p) => p.fails)).toBe(false);
    expect(plans(1).every((p) => p.fails)).toBe(true);
  });

  it('draws differently for another seed or another attempt', () => {
    const a = Array.from({ length: 20 }, (_, i) => planAttempt(base, i, 1).latency);
    const b = Array.from({ length: 20 }, (_, i) => planAttempt({ ...base, seed: 43 }, i, 1).latency);
    const c = Array.from({ length: 20 }, (_, i) => planAttempt(base, i, 2).latency);
    expect(b).not.toEqual(a);
    expect(c).not.toEqual(a);
  });
});

describe('SimulatedFailure', () => {
  it('names its item and attempt', () => {
    const error = new SimulatedFailure(3, 2);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SimulatedFailure');
    expect([error.item, error.attempt]).toEqual([3, 2]);
  });
});
