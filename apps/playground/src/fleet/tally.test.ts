import { describe, expect, it } from 'vitest';
import { FleetTally } from './tally.js';

describe('FleetTally', () => {
  it('buckets grants into whole seconds from the start: requests count 1, tokens their cost', () => {
    const tally = new FleetTally(10_000);
    tally.grant(10_000, 100);
    tally.grant(10_999, 50);
    tally.grant(11_000, 7);
    expect(tally.second(0)).toEqual({ second: 0, starts: 2, tokens: 150, leases: 0 });
    expect(tally.second(1)).toEqual({ second: 1, starts: 1, tokens: 7, leases: 0 });
    expect(tally.second(5)).toEqual({ second: 5, starts: 0, tokens: 0, leases: 0 });
  });

  it('leases per second are the most holders any INCR reply reported in it; maxLeases over the run', () => {
    const tally = new FleetTally(0);
    tally.holders(100, 3);
    tally.holders(200, 5);
    tally.holders(300, 4);
    tally.holders(1500, 2);
    expect(tally.second(0).leases).toBe(5);
    expect(tally.second(1).leases).toBe(2);
    expect(tally.maxLeases).toBe(5);
  });

  it('ignores reports from before the start', () => {
    const tally = new FleetTally(1000);
    tally.grant(999, 10);
    tally.holders(500, 9);
    expect(tally.second(0)).toEqual({ second: 0, starts: 0, tokens: 0, leases: 0 });
    expect(tally.maxLeases).toBe(0);
  });
});
