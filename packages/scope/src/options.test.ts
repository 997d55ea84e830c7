import { describe, expect, it } from 'vitest';
import { readOptions, suggestName } from './options.js';

const KNOWN = ['maxConcurrent', 'numRetries', 'retryDelay', 'retryDefault', 'signal'] as const;

describe('readOptions', () => {
  it('rejects an unknown option with a TypeError naming it and suggesting the close known name', () => {
    expect(() => readOptions('alcall', { maxConcurency: 2 }, KNOWN)).toThrow(
      new TypeError("alcall: unknown option 'maxConcurency' (did you mean 'maxConcurrent'?)"),
    );
  });

  it('names an unknown option without a suggestion when no known name is close', () => {
    expect(() => readOptions('retry', { zzz: 1 }, KNOWN)).toThrow(new TypeError("retry: unknown option 'zzz'"));
  });

  it('reads inherited properties and prototype getters, each getter called once', () => {
    let calls = 0;
    class Cfg {
      get numRetries(): number {
        calls++;
        return 2;
      }
    }
    const proto = { retryDelay: 5 };
    const opts = Object.assign(Object.create(proto) as object, { maxConcurrent: 3 });
    expect(readOptions('retry', new Cfg(), KNOWN)).toEqual({ numRetries: 2 });
    expect(calls).toBe(1);
    expect(readOptions('alcall', opts, KNOWN)).toEqual({ maxConcurrent: 3, retryDelay: 5 });
  });

  it('returns a frozen snapshot that later changes to the options object do not touch', () => {
    const opts: Record<string, unknown> = { numRetries: 1 };
    const snapshot = readOptions('retry', opts, KNOWN);
    opts.numRetries = 9;
    expect(snapshot.numRetries).toBe(1);
    expect(Object.isFrozen(snapshot)).toBe(true);
  });

  it('drops undefined values except the names that mean something when present', () => {
    const snapshot = readOptions('retry', { numRetries: undefined, retryDefault: undefined }, KNOWN, ['retryDefault']);
    expect('numRetries' in snapshot).toBe(false);
    expect('retryDefault' in snapshot).toBe(true);
  });

  it('reads undefined as no options and rejects a non-object with a TypeError naming the label', () => {
    expect(readOptions('retry', undefined, KNOWN)).toEqual({});
    expect(() => readOptions('retry', 5, KNOWN)).toThrow(new TypeError('retry: options must be an object (got number)'));
    expect(() => readOptions('retry', null, KNOWN, [], 'opts')).toThrow(new TypeError('retry: opts must be an object (got null)'));
  });

  it('ignores class methods, which are not options', () => {
    class WithMethod {
      numRetries = 1;
      describe(): string {
        return 'x';
      }
    }
    expect(readOptions('retry', new WithMethod(), KNOWN)).toEqual({ numRetries: 1 });
  });
});

describe('suggestName', () => {
  it("suggests a name differing in case, by a small edit or a peer's shorter name, and nothing for a distant one", () => {
    expect(suggestName('numretries', KNOWN)).toBe('numRetries');
    expect(suggestName('retries', KNOWN)).toBe('numRetries');
    expect(suggestName('maxConcurrency', KNOWN)).toBe('maxConcurrent');
    expect(suggestName('retryDelays', KNOWN)).toBe('retryDelay');
    expect(suggestName('x', KNOWN)).toBeUndefined();
  });
});
