import { describe, expect, it } from 'vitest';
import { checkBoolean, checkFunction, checkNumber, checkOptions, checkSignal } from './validate.js';

describe('checkNumber', () => {
  it('returns a valid number', () => {
    expect(checkNumber(3, 'limit', { min: 1, integer: true })).toBe(3);
    expect(checkNumber(-2.5, 'offset')).toBe(-2.5);
    expect(checkNumber(Infinity, 'limit', { allowInfinity: true, integer: true })).toBe(Infinity);
  });

  it('throws a TypeError naming the option for a non-number', () => {
    expect(() => checkNumber('3', 'limit')).toThrow(TypeError);
    expect(() => checkNumber('3', 'limit')).toThrow('limit must be a number (got string)');
    expect(() => checkNumber(null, 'limit')).toThrow('(got null)');
    expect(() => checkNumber([], 'limit')).toThrow('(got array)');
  });

  it.each([
    [Number.NaN, {}, 'limit must not be NaN'],
    [Infinity, {}, 'limit must be finite (got Infinity)'],
    [-Infinity, { allowInfinity: true }, 'limit must be finite (got -Infinity)'],
    [1.5, { integer: true }, 'limit must be an integer (got 1.5)'],
    [0, { min: 1 }, 'limit must be >= 1 (got 0)'],
    [0, { min: 0, exclusiveMin: true }, 'limit must be > 0 (got 0)'],
  ])('throws a RangeError for %s with %o', (value, rule, message) => {
    expect(() => checkNumber(value, 'limit', rule)).toThrow(RangeError);
    expect(() => checkNumber(value, 'limit', rule)).toThrow(message);
  });

  it('accepts the bound itself unless exclusiveMin', () => {
    expect(checkNumber(1, 'limit', { min: 1 })).toBe(1);
    expect(checkNumber(0.001, 'limit', { min: 0, exclusiveMin: true })).toBe(0.001);
  });
});

describe('checkBoolean', () => {
  it('accepts booleans and undefined, rejects the rest naming the option', () => {
    expect(() => {
      checkBoolean(true, 'flatten');
      checkBoolean(false, 'flatten');
      checkBoolean(undefined, 'flatten');
    }).not.toThrow();
    expect(() => {
      checkBoolean('yes', 'flatten');
    }).toThrow(new TypeError('flatten must be a boolean (got string)'));
    expect(() => {
      checkBoolean(0, 'flatten');
    }).toThrow(TypeError);
  });
});

describe('checkFunction', () => {
  it('accepts functions (sync, async, classes) and rejects the rest naming the option', () => {
    expect(() => {
      checkFunction(() => 1, 'fn');
      checkFunction(async () => 1, 'fn');
      checkFunction(Map, 'fn');
    }).not.toThrow();
    expect(() => {
      checkFunction(42, 'fn');
    }).toThrow(new TypeError('fn must be a function (got number)'));
    expect(() => {
      checkFunction(undefined, 'fn');
    }).toThrow(TypeError);
  });

  it('accepts undefined only when optional', () => {
    expect(() => {
      checkFunction(undefined, 'onRetry', true);
    }).not.toThrow();
    expect(() => {
      checkFunction(null, 'onRetry', true);
    }).toThrow('onRetry must be a function (got null)');
  });
});

describe('checkSignal', () => {
  it('accepts an AbortSignal (aborted or not) and undefined', () => {
    expect(() => {
      checkSignal(new AbortController().signal);
      checkSignal(AbortSignal.abort());
      checkSignal(undefined);
    }).not.toThrow();
  });

  it('rejects anything else with a TypeError naming the option', () => {
    expect(() => {
      checkSignal({});
    }).toThrow(new TypeError("signal must be an AbortSignal (got an object without a boolean 'aborted')"));
    expect(() => {
      checkSignal(null);
    }).toThrow('signal must be an AbortSignal (got null)');
    expect(() => {
      checkSignal(new AbortController(), 'opts.signal');
    }).toThrow(/^opts\.signal must be/);
  });

  it('rejects a half signal (what used to crash later from a timer) with a TypeError naming the missing member', () => {
    expect(() => {
      checkSignal({ aborted: false, addEventListener() {} }, 'signal');
    }).toThrow(new TypeError('signal must be an AbortSignal (got an object without removeEventListener())'));
    const noReason = { aborted: false, addEventListener() {}, removeEventListener() {}, throwIfAborted() {} };
    expect(() => {
      checkSignal(noReason);
    }).toThrow("signal must be an AbortSignal (got an object without 'reason')");
    expect(() => {
      checkSignal({ aborted: false, addEventListener() {}, removeEventListener() {} });
    }).toThrow('signal must be an AbortSignal (got an object without throwIfAborted())');
    expect(() => {
      checkSignal({ aborted: 'no', reason: undefined, addEventListener() {}, removeEventListener() {}, throwIfAborted() {} });
    }).toThrow(TypeError);
  });

  it('accepts a signal-like object that has everything lf calls (a polyfill, another realm)', () => {
    const target = new EventTarget();
    const like = {
      aborted: false,
      reason: undefined,
      addEventListener: target.addEventListener.bind(target),
      removeEventListener: target.removeEventListener.bind(target),
      throwIfAborted() {},
    };
    expect(() => {
      checkSignal(like);
    }).not.toThrow();
  });
});

describe('checkOptions', () => {
  it('accepts objects and undefined, rejects primitives, null and functions', () => {
    expect(() => {
      checkOptions({});
      checkOptions(undefined);
      checkOptions([]);
    }).not.toThrow();
    expect(() => {
      checkOptions(5);
    }).toThrow(new TypeError('options must be an object (got number)'));
    expect(() => {
      checkOptions(null, 'opts');
    }).toThrow('opts must be an object (got null)');
    expect(() => {
      checkOptions(() => undefined);
    }).toThrow(TypeError);
  });
});
