import { describe, expect, it } from 'vitest';
import { isDescendable, isIndexed, isPlainObject, topLevel } from './kinds.js';

class Point {
  x = 1;
}

describe('isPlainObject', () => {
  it('is true for object literals and null-prototype objects', () => {
    expect(isPlainObject({ a: 1 })).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
  });

  it('is false for arrays, class instances, Maps, Dates and primitives', () => {
    for (const value of [[], new Point(), new Map(), new Date(), /a/, 'x', 1, null, undefined]) {
      expect(isPlainObject(value)).toBe(false);
    }
  });
});

describe('isDescendable', () => {
  it('walks into arrays, typed arrays, generators and iterator objects', () => {
    function* gen() {
      yield 1;
    }
    for (const value of [[1], new Uint8Array(2), gen(), new Map().values(), { *[Symbol.iterator]() {} }]) {
      expect(isDescendable(value, false)).toBe(true);
    }
  });

  it('never walks into String objects, Maps, plain objects or non-iterable instances', () => {
    for (const value of [new String('ab'), new Map([[1, 2]]), { a: 1 }, new Point(), /a/]) {
      expect(isDescendable(value, true)).toBe(false);
    }
  });

  it('walks into Sets only with flattenTupleSet', () => {
    expect(isDescendable(new Set([1]), false)).toBe(false);
    expect(isDescendable(new Set([1]), true)).toBe(true);
  });
});

describe('isIndexed', () => {
  it('reads arrays and typed arrays by index, but not DataViews or Sets', () => {
    expect(isIndexed([1])).toBe(true);
    expect(isIndexed(new Float64Array(1))).toBe(true);
    expect(isIndexed(new DataView(new ArrayBuffer(1)))).toBe(false);
    expect(isIndexed(new Set())).toBe(false);
  });
});

describe('topLevel', () => {
  it('maps null and undefined to the empty marker', () => {
    expect(topLevel(null, false)).toBeNull();
    expect(topLevel(undefined, true)).toBeNull();
  });

  it('keeps strings, String objects, numbers, functions and class instances as one item', () => {
    for (const value of ['ab', new String('ab'), 1, true, 1n, Symbol('s'), () => 1, new Point(), /a/]) {
      expect(topLevel(value, true)).toBeUndefined();
    }
  });

  it('gives a plain object or a Map as one item, or their values with useValues', () => {
    expect(topLevel({ a: 1 }, false)).toBeUndefined();
    expect(topLevel({ a: 1, b: 2 }, true)).toEqual([1, 2]);
    const map = new Map([['a', 1]]);
    expect(topLevel(map, false)).toBeUndefined();
    expect([...(topLevel(map, true) as Iterable<unknown>)]).toEqual([1]);
  });

  it('returns arrays, Sets and other iterables themselves, to be read item by item', () => {
    const array = [1];
    const set = new Set([1]);
    const iterable = { *[Symbol.iterator]() {} };
    expect(topLevel(array, false)).toBe(array);
    expect(topLevel(set, false)).toBe(set);
    expect(topLevel(iterable, true)).toBe(iterable);
  });
});
