import { describe, expect, it } from 'vitest';
import { parseCost, parseLimits } from './limits.js';

describe('parseLimits', () => {
  it('reads the single form as one unnamed limit', () => {
    expect(parseLimits('RateLimiter', { limit: 5, interval: 1000 })).toEqual([{ name: undefined, limit: 5, interval: 1000 }]);
  });

  it('reads named limits in a stable order (sorted by name), frozen', () => {
    const limits = parseLimits('RateLimiter', {
      limits: { tokens: { limit: 2e5, interval: 60_000 }, requests: { limit: 500, interval: 60_000 } },
    });
    expect(limits).toEqual([
      { name: 'requests', limit: 500, interval: 60_000 },
      { name: 'tokens', limit: 2e5, interval: 60_000 },
    ]);
    expect(Object.isFrozen(limits)).toBe(true);
    expect(Object.isFrozen(limits[0])).toBe(true);
  });

  it('reads options once: inherited getters count, later changes change nothing', () => {
    let reads = 0;
    class Options {
      get limit(): number {
        reads++;
        return 3;
      }
      interval = 10;
    }
    expect(parseLimits('RateLimiter', new Options())).toEqual([{ name: undefined, limit: 3, interval: 10 }]);
    expect(reads).toBe(1);
  });

  it('allows a fractional limit (costs may be fractional, e.g. dollars)', () => {
    expect(parseLimits('RateLimiter', { limit: 0.5, interval: 10 })[0]!.limit).toBe(0.5);
  });

  it('accepts the names the caller reads itself (extraNames) and ignores them', () => {
    expect(parseLimits('RedisRateLimiter', { limit: 1, interval: 10, key: 'k' }, ['key'])).toHaveLength(1);
  });

  it.each([
    [undefined, TypeError, /options must be an object/],
    [null, TypeError, /options must be an object/],
    [5, TypeError, /options must be an object/],
    [{}, TypeError, /either limit and interval, or limits/],
    [{ limit: 1, interval: 1, limits: { a: { limit: 1, interval: 1 } } }, TypeError, /got both/],
    [{ limt: 1, interval: 1 }, TypeError, /unknown option 'limt' \(did you mean 'limit'\?\)/],
    [{ limit: 0, interval: 10 }, RangeError, /limit must be > 0/],
    [{ limit: -1, interval: 10 }, RangeError, /limit/],
    [{ limit: Number.NaN, interval: 10 }, RangeError, /limit/],
    [{ limit: Infinity, interval: 10 }, RangeError, /limit/],
    [{ limit: '2', interval: 10 }, TypeError, /limit/],
    [{ interval: 10 }, TypeError, /limit/],
    [{ limit: 1 }, TypeError, /interval/],
    [{ limit: 1, interval: 0 }, RangeError, /interval must be > 0/],
    [{ limit: 1, interval: Infinity }, RangeError, /interval/],
    [{ limits: {} }, RangeError, /at least one limit/],
    [{ limits: [] }, TypeError, /limits must be an object/],
    [{ limits: { a: 5 } }, TypeError, /limits\.a must be an object/],
    [{ limits: { a: { limit: 1, intervall: 5 } } }, TypeError, /unknown option 'intervall' \(did you mean 'interval'\?\)/],
    [{ limits: { a: { limit: 0, interval: 5 } } }, RangeError, /limits\.a\.limit must be > 0/],
    [{ limits: { a: { limit: 1 } } }, TypeError, /limits\.a\.interval/],
  ])('parseLimits(%o) throws %s', (options, type, pattern) => {
    expect(() => parseLimits('RateLimiter', options)).toThrow(type);
    expect(() => parseLimits('RateLimiter', options)).toThrow(pattern);
  });
});

describe('parseCost', () => {
  const single = parseLimits('RateLimiter', { limit: 10, interval: 100 });
  const named = parseLimits('RateLimiter', {
    limits: { requests: { limit: 5, interval: 100 }, tokens: { limit: 1000, interval: 100 } },
  });

  it('defaults to 1 for every limit', () => {
    expect(parseCost('acquire', undefined, single)).toEqual([1]);
    expect(parseCost('acquire', undefined, named)).toEqual([1, 1]);
  });

  it('a number is the cost for every limit; 0 is allowed', () => {
    expect(parseCost('acquire', 3, named)).toEqual([3, 3]);
    expect(parseCost('acquire', 0, single)).toEqual([0]);
    expect(parseCost('acquire', 0.25, single)).toEqual([0.25]);
  });

  it('in a record, a limit left out costs 1', () => {
    expect(parseCost('acquire', { tokens: 800 }, named)).toEqual([1, 800]);
    expect(parseCost('acquire', { requests: 0, tokens: 0 }, named)).toEqual([0, 0]);
    expect(parseCost('acquire', {}, named)).toEqual([1, 1]);
  });

  it('a cost above a limit is a RangeError, unless allowed (settle)', () => {
    expect(() => parseCost('acquire', 11, single)).toThrow(RangeError);
    expect(() => parseCost('acquire', 11, single)).toThrow(/cost must be <= limit \(10\)/);
    expect(() => parseCost('acquire', { tokens: 1001 }, named)).toThrow(/cost\.tokens must be <= limits\.tokens\.limit \(1000\)/);
    expect(() => parseCost('acquire', 6, named)).toThrow(/limits\.requests\.limit/);
    expect(parseCost('settle', { tokens: 5000 }, named, true)).toEqual([1, 5000]);
  });

  it.each([
    [-1, RangeError, /cost must be >= 0/],
    [Number.NaN, RangeError, /cost must not be NaN/],
    [Infinity, RangeError, /cost/],
    ['1', TypeError, /cost must be a number or a record/],
    [null, TypeError, /cost/],
    [[1], TypeError, /cost/],
    [{ tokens: -5 }, RangeError, /cost\.tokens must be >= 0/],
    [{ tokens: 'x' }, TypeError, /cost\.tokens must be a number/],
    [{ token: 5 }, TypeError, /unknown limit 'token' \(did you mean 'tokens'\?\)/],
    [{ bytes: 5 }, TypeError, /unknown limit 'bytes'/],
  ])('parseCost(%o) on named limits throws %s naming cost', (cost, type, pattern) => {
    expect(() => parseCost('acquire', cost, named)).toThrow(type);
    expect(() => parseCost('acquire', cost, named)).toThrow(pattern);
  });

  it('a record on a limiter with one unnamed limit is a TypeError', () => {
    expect(() => parseCost('acquire', { tokens: 1 }, single)).toThrow(/one unnamed limit: pass a number/);
  });
});
