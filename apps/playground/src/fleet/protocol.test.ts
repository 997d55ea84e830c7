import { describe, expect, it } from 'vitest';
import { countKeys, parseEvent } from './protocol.js';

describe('parseEvent', () => {
  it('reads one JSON event a line', () => {
    expect(parseEvent('{"type":"grant","at":1700000000123,"tokens":120}')).toEqual({ type: 'grant', at: 1700000000123, tokens: 120 });
    expect(parseEvent('{"type":"out"}')).toEqual({ type: 'out' });
  });

  it('ignores anything else a worker might print', () => {
    expect(parseEvent('')).toBeUndefined();
    expect(parseEvent('warning: something')).toBeUndefined();
    expect(parseEvent('{not json')).toBeUndefined();
    expect(parseEvent('{"no":"type"}')).toBeUndefined();
  });
});

describe('countKeys', () => {
  it("keeps the in/out count apart from the limiters' own keys", () => {
    expect(countKeys('fleet')).toEqual({ total: 'fleet:holders', byWorker: 'fleet:holders-by-worker' });
  });
});
