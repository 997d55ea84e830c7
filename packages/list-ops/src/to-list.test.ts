import { describe, expect, it } from 'vitest';
import { toList } from './to-list.js';

class Point {
  constructor(readonly x: number) {}
}

describe('toList: converting the input', () => {
  it('returns [] for null and undefined', () => {
    expect(toList(null)).toEqual([]);
    expect(toList(undefined)).toEqual([]);
  });

  it('returns a shallow copy of an array: a new array with the same items', () => {
    const item = { a: 1 };
    const input = [1, item];
    const out = toList(input);
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
    expect(out[1]).toBe(item);
  });

  it('wraps a string (or String object) as one item and never splits it, even with useValues', () => {
    expect(toList('abc')).toEqual(['abc']);
    expect(toList('abc', { flatten: true, useValues: true })).toEqual(['abc']);
    const boxed = new String('ab');
    expect(toList(boxed, { flatten: true })[0]).toBe(boxed);
  });

  it('wraps a plain object or a Map as one item', () => {
    const object = { a: 1 };
    const map = new Map([['a', 1]]);
    expect(toList(object)[0]).toBe(object);
    expect(toList(map, { flatten: true })[0]).toBe(map);
  });

  it('with useValues, gives the values of a plain object or a Map (then walks them)', () => {
    expect(toList({ a: 1, b: [2, 3] }, { useValues: true })).toEqual([1, [2, 3]]);
    expect(toList({ a: 1, b: [2, 3] }, { useValues: true, flatten: true })).toEqual([1, 2, 3]);
    expect(
      toList(
        new Map<string, unknown>([
          ['a', 1],
          ['b', null],
        ]),
        { useValues: true, dropna: true },
      ),
    ).toEqual([1]);
  });

  it('useValues does not change arrays or class instances', () => {
    expect(toList([{ a: 1 }], { useValues: true })).toEqual([{ a: 1 }]);
    const p = new Point(1);
    expect(toList(p, { useValues: true })).toEqual([p]);
  });

  it('gives the items of a Set (even without flattenTupleSet), a generator, a typed array and map.values()', () => {
    function* gen() {
      yield 1;
      yield 2;
    }
    expect(toList(new Set([1, 2]))).toEqual([1, 2]);
    expect(toList(gen())).toEqual([1, 2]);
    expect(toList(new Uint8Array([1, 2]))).toEqual([1, 2]);
    expect(toList(new Map([['a', 1]]).values())).toEqual([1]);
    expect(
      toList({
        *[Symbol.iterator]() {
          yield 'x';
        },
      }),
    ).toEqual(['x']);
  });

  it('wraps anything else as one item: numbers, booleans, bigints, functions, RegExps, class instances', () => {
    const fn = () => 1;
    const p = new Point(1);
    const re = /a/;
    for (const value of [0, NaN, false, 1n, fn, p, re]) expect(toList(value)).toEqual([value]);
  });
});

describe('toList: flatten', () => {
  it('flattens nested arrays and iterables recursively', () => {
    function* gen() {
      yield [3, [4]];
    }
    expect(toList([1, [2, gen(), new Uint8Array([5])], [[[6]]]], { flatten: true })).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('never flattens strings, plain objects or Maps', () => {
    const object = { a: [1] };
    const map = new Map([[1, [2]]]);
    expect(toList([['ab'], object, [map]], { flatten: true, flattenTupleSet: true })).toEqual(['ab', object, map]);
  });

  it('flattens nested Sets only with flattenTupleSet', () => {
    const set = new Set([2, [3]]);
    expect(toList([1, set], { flatten: true })).toEqual([1, set]);
    expect(toList([1, set], { flatten: true, flattenTupleSet: true })).toEqual([1, 2, 3]);
  });

  it('without flatten, keeps nested arrays as NEW arrays, with dropna applied inside', () => {
    const inner = [2, null, [undefined, 3]];
    const out = toList([1, inner], { dropna: true });
    expect(out).toEqual([1, [2, [3]]]);
    expect(out[1]).not.toBe(inner);
    expect(inner).toEqual([2, null, [undefined, 3]]);
  });

  it('without flatten, turns nested iterables (generators, typed arrays, Sets with flattenTupleSet) into arrays, as Python does', () => {
    function* gen() {
      yield 1;
    }
    const set = new Set([2]);
    expect(toList([gen(), new Uint8Array([7]), set])).toEqual([[1], [7], set]);
    expect(toList([set], { flattenTupleSet: true })).toEqual([[2]]);
  });
});

describe('toList: dropna', () => {
  it('drops null and undefined at every depth, keeping NaN, 0, false and empty strings', () => {
    expect(toList([null, 0, [undefined, NaN, [false, '', null]]], { dropna: true, flatten: true })).toEqual([0, NaN, false, '']);
  });

  it('reads array holes as undefined (dropped with dropna)', () => {
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [1, , 3];
    expect(toList(sparse)).toEqual([1, undefined, 3]);
    expect(toList(sparse, { dropna: true })).toEqual([1, 3]);
  });

  it('does not look inside values it does not walk (objects, Maps, kept Sets)', () => {
    const object = { a: null };
    const set = new Set([null]);
    expect(toList([object, set], { dropna: true, flatten: true })).toEqual([object, set]);
  });
});

describe('toList: unique', () => {
  it('with flatten, keeps the first of equal items after flattening and dropping', () => {
    const first = { a: 1, b: 2 };
    const out = toList([1, [1, null, first], [[{ b: 2, a: 1 }]], '1', true], { flatten: true, dropna: true, unique: true });
    expect(out).toEqual([1, first, '1', true]);
    expect(out[1]).toBe(first);
  });

  it('without flatten throws a RangeError naming unique, before reading the input', () => {
    let read = false;
    function* gen() {
      read = true;
      yield 1;
    }
    expect(() => toList(gen(), { unique: true })).toThrow(RangeError);
    expect(() => toList([1], { unique: true, flatten: false })).toThrow(/unique requires flatten/);
    expect(read).toBe(false);
  });
});

describe('toList: bad options', () => {
  it('throws a TypeError naming the option for a non-boolean flag', () => {
    for (const name of ['flatten', 'dropna', 'unique', 'useValues', 'flattenTupleSet']) {
      expect(() => toList([1], { [name]: 'yes' })).toThrow(TypeError);
      expect(() => toList([1], { [name]: 1 })).toThrow(new RegExp(`^${name} must be a boolean`));
    }
  });

  it('throws a TypeError for an options argument that is not an object', () => {
    for (const bad of [1, 'flatten', null, true, [true]]) {
      expect(() => toList([1], bad as never)).toThrow(TypeError);
      expect(() => toList([1], bad as never)).toThrow(/options must be an object/);
    }
  });

  it('checks flag types before the unique/flatten range rule', () => {
    expect(() => toList([1], { unique: true, flatten: 'yes' } as never)).toThrow(TypeError);
  });
});

describe('toList: cycles and depth', () => {
  it('throws a TypeError naming the cycle for a self-containing array, with or without flatten', () => {
    const a: unknown[] = [1];
    a.push([2, a]);
    expect(() => toList(a, { flatten: true })).toThrow(TypeError);
    expect(() => toList(a)).toThrow(/toList: input contains a cycle/);
  });

  it('throws a TypeError for a generator that yields itself', () => {
    function* selfish(): Generator {
      yield me;
    }
    const me = selfish();
    expect(() => toList(me, { flatten: true })).toThrow(/cycle/);
  });

  it('accepts the same nested array twice (shared is not cyclic)', () => {
    const shared = [1];
    expect(toList([shared, shared], { flatten: true })).toEqual([1, 1]);
  });

  it('flattens an array nested 1e5 levels deep without overflowing the stack', () => {
    let deep: unknown[] = [0];
    for (let i = 1; i < 100_000; i++) deep = [deep, i];
    const out = toList(deep, { flatten: true, unique: true });
    expect(out.length).toBe(100_000);
  });
});
