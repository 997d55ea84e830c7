import { describe, expect, it } from 'vitest';
import { fleetSettings } from './settings.js';

describe('fleetSettings', () => {
  it('the full run kills a worker midway and ends well within a minute', () => {
    const s = fleetSettings([], {});
    expect(s.workers).toBe(6);
    expect(s.killAt).toBeLessThan(s.duration);
    // Traffic, the lease's expiry after the kill and the start-up all fit before the hard stop, itself under a minute.
    expect(s.killAt + s.lease + 2000).toBeLessThan(s.duration);
    expect(s.duration + s.hold[1] + 10_000).toBeLessThan(s.hardStop);
    expect(s.hardStop).toBeLessThanOrEqual(60_000);
  });

  it('--quick and LF_FLEET_QUICK=1 make a short run with the same story (the leases come back before it ends)', () => {
    for (const s of [fleetSettings(['--quick'], {}), fleetSettings([], { LF_FLEET_QUICK: '1' })]) {
      expect(s.duration).toBeLessThan(fleetSettings([], {}).duration);
      expect(s.killAt + s.lease + 1500).toBeLessThan(s.duration);
    }
    expect(fleetSettings([], { LF_FLEET_QUICK: '0' }).duration).toBe(fleetSettings([], {}).duration);
    expect(fleetSettings([], { LF_FLEET_QUICK: '' }).duration).toBe(fleetSettings([], {}).duration);
  });

  it('an unknown argument is a TypeError naming it', () => {
    expect(() => fleetSettings(['--fast'], {})).toThrow(
      new TypeError("playground:fleet: unknown argument '--fast' (the only one is --quick)"),
    );
  });

  it('the workers ask for more than the shared limits allow, so every limit binds', () => {
    const s = fleetSettings([], {});
    expect(s.workers * s.perWorker).toBeGreaterThan(s.concurrency);
    const meanTokens = (s.tokens[0] + s.tokens[1]) / 2;
    const meanHold = (s.hold[0] + s.hold[1]) / 2;
    // Each limit alone allows a start rate within 30% of the others': all three sit near their lines.
    const rates = [s.requestsPerSecond, s.tokensPerSecond / meanTokens, (s.concurrency * 1000) / meanHold];
    expect(Math.max(...rates) / Math.min(...rates)).toBeLessThan(1.3);
  });
});
