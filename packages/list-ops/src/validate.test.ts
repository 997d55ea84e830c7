import { describe, expect, it } from 'vitest';
import { readFlag, readOptions } from './validate.js';

describe('readOptions', () => {
  it('accepts undefined and any plain options object', () => {
    expect(readOptions(undefined)).toBeUndefined();
    const options = { flatten: true };
    expect(readOptions(options)).toBe(options);
  });

  it('throws a TypeError naming options for a non-object (number, string, null, array, function)', () => {
    for (const bad of [5, 'x', null, [], () => 1, true]) {
      expect(() => readOptions(bad)).toThrow(TypeError);
      expect(() => readOptions(bad)).toThrow(/options must be an object/);
    }
  });
});

describe('readFlag', () => {
  it('reads false when the options or the flag are absent or undefined', () => {
    expect(readFlag(undefined, 'flatten')).toBe(false);
    expect(readFlag({}, 'flatten')).toBe(false);
    expect(readFlag({ flatten: undefined }, 'flatten')).toBe(false);
  });

  it('returns a boolean flag as given', () => {
    expect(readFlag({ flatten: true }, 'flatten')).toBe(true);
    expect(readFlag({ flatten: false }, 'flatten')).toBe(false);
  });

  it('throws a TypeError naming the option for a non-boolean (no truthy coercion)', () => {
    for (const bad of [1, 'true', null, {}, []]) {
      expect(() => readFlag({ dropna: bad }, 'dropna')).toThrow(TypeError);
      expect(() => readFlag({ dropna: bad }, 'dropna')).toThrow(/^dropna must be a boolean/);
    }
  });
});
