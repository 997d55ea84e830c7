import { describe, expect, it } from 'vitest';
import { show } from './format.js';

describe('show', () => {
  it('prints nested arrays, strings and numbers compactly', () => {
    expect(show([1, [2.345, 'x'], null, undefined])).toBe("[1, [2.3, 'x'], null, undefined]");
  });

  it('prints errors by name and message, and an AggregateError with its errors', () => {
    expect(show(new TypeError('bad'))).toBe('TypeError: bad');
    expect(show(new AggregateError([new Error('a'), new RangeError('b')], 'two'))).toBe('AggregateError [Error: a, RangeError: b]');
  });

  it('prints plain objects as key: value pairs', () => {
    expect(show({ a: 1, b: [true] })).toBe('{ a: 1, b: [true] }');
    expect(show({})).toBe('{}');
  });
});
