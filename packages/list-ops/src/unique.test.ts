import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Canonicalizer } from './canonical.js';
import { unique, uniqueItems } from './unique.js';

/** The reference: unique's equality, written the obvious (slow, recursive) way. */
function same(a: unknown, b: unknown): boolean {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && same(a.getTime(), b.getTime());
  }
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map && b instanceof Map) || a.size !== b.size) return false;
    return [...a].every(([k, v]) => b.has(k) && same(v, b.get(k)));
  }
  if (a instanceof Set || b instanceof Set) {
    if (!(a instanceof Set && b instanceof Set) || a.size !== b.size) return false;
    const left = [...b];
    return [...a].every((x) => {
      const i = left.findIndex((y) => same(x, y));
      if (i < 0) return false;
      left.splice(i, 1);
      return true;
    });
  }
  const plain = (o: object) => [Object.prototype, null].includes(Object.getPrototypeOf(o) as object | null);
  if (!plain(a) || !plain(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

function naiveUnique(items: unknown[]): unknown[] {
  const kept: unknown[] = [];
  for (const item of items) if (!kept.some((k) => same(k, item))) kept.push(item);
  return kept;
}

/** A structurally equal copy with every key, entry and Set element order reversed. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value instanceof Date) return new Date(value.getTime());
  if (value instanceof Map) return new Map([...value].reverse().map(([k, v]) => [k, reordered(v)]));
  if (value instanceof Set) return new Set([...value].reverse().map(reordered));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reordered(v)]),
    );
  }
  return value;
}

const leaf = fc.constantFrom<unknown>(0, -0, 1, -1, -2, 2, NaN, true, false, '1', '', 'a', null, undefined, 1n);
const { value: arbitraryValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.constantFrom(0, 1).map((t) => new Date(t)),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('value'), { maxKeys: 3 }),
    fc.array(fc.tuple(leaf, tie('value')), { maxLength: 3 }).map((entries) => new Map(entries)),
    fc.array(tie('value'), { maxLength: 3 }).map((items) => new Set(items)),
  ),
}));

describe('unique', () => {
  it('keeps the first of equal primitives by SameValueZero: one NaN, -0 equals 0', () => {
    const result = unique([3, NaN, -0, 3, NaN, 0, 1]);
    expect(result).toEqual([3, NaN, -0, 1]);
    expect(Object.is(result[2], -0)).toBe(true);
  });

  it('is exact: -1 and -2, 1 and true, "1" and 1, null and undefined all stay distinct', () => {
    const items = [-1, -2, 1, true, '1', 1n, null, undefined, 0, '', false, 'true'];
    expect(unique([...items, ...items])).toEqual(items);
  });

  it('compares arrays by structure, in order', () => {
    const first = [1, [2, 3]];
    const result = unique([first, [1, [2, 3]], [1, [3, 2]], [[1], 2, 3]]);
    expect(result).toEqual([
      [1, [2, 3]],
      [1, [3, 2]],
      [[1], 2, 3],
    ]);
    expect(result[0]).toBe(first);
  });

  it('compares plain objects by structure, ignoring key order; a missing key differs from an undefined value', () => {
    const result = unique([{ a: 1, b: { c: [2] } }, { b: { c: [2] }, a: 1 }, { a: 1 }, { a: 1, b: undefined }, { a: 1 }]);
    expect(result).toEqual([{ a: 1, b: { c: [2] } }, { a: 1 }, { a: 1, b: undefined }]);
  });

  it('treats null-prototype objects like other plain objects, and counts enumerable symbol keys', () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    expect(unique([{ a: 1 }, bare])).toHaveLength(1);
    const s = Symbol('s');
    expect(unique([{ a: 1, [s]: 1 }, { a: 1 }, { [s]: 1, a: 1 }])).toHaveLength(2);
  });

  it('compares Maps by entries, ignoring order; Map keys by identity like Map.get', () => {
    const key = { k: 1 };
    const result = unique([
      new Map<unknown, unknown>([
        ['a', [1]],
        ['b', 2],
      ]),
      new Map<unknown, unknown>([
        ['b', 2],
        ['a', [1]],
      ]),
      new Map<unknown, unknown>([['a', [1]]]),
      new Map([[key, 1]]),
      new Map([[key, 1]]),
      new Map([[{ k: 1 }, 1]]),
    ]);
    expect(result).toHaveLength(4);
  });

  it('compares Sets by elements matched one to one, structurally, ignoring order', () => {
    const result = unique([
      new Set([1, [2]]),
      new Set([[2], 1]),
      new Set([[1], [1]]),
      new Set([[1], [2]]),
      new Set([[2], [1]]),
      new Set([[1]]),
    ]);
    expect(result).toHaveLength(4);
  });

  it('compares Dates by time (invalid dates equal each other)', () => {
    expect(unique([new Date(5), new Date(5), new Date(6), new Date(NaN), new Date(NaN)])).toHaveLength(3);
  });

  it('compares RegExps, typed arrays and class instances by identity', () => {
    class Point {
      constructor(readonly x: number) {}
    }
    const p = new Point(1);
    const r = /a/;
    expect(unique([p, new Point(1), p, r, /a/, r, new Uint8Array(1), new Uint8Array(1)])).toHaveLength(6);
  });

  it('never mixes kinds: an array, a plain object, a Map and a Set with the same contents differ', () => {
    expect(unique([[1], { 0: 1 }, new Map([[0, 1]]), new Set([1]), [true], ['1']])).toHaveLength(6);
  });

  it('throws a TypeError for a cyclic structural value instead of hanging', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    expect(() => unique([{ x: 1 }, a])).toThrow(TypeError);
    expect(() => unique([{ x: 1 }, a])).toThrow(/unique: .*cycle/);
  });

  it('handles values nested 50 000 levels deep without overflowing the stack', () => {
    let a: unknown = 0;
    let b: unknown = 0;
    for (let i = 0; i < 50_000; i++) {
      a = [a];
      b = [b];
    }
    expect(unique([a, b])).toEqual([a]);
  });

  it('converts its input like toList, without copying items: null -> [], string -> [s], Set and generator -> items', () => {
    expect(unique(null)).toEqual([]);
    expect(unique(undefined)).toEqual([]);
    expect(unique('aa')).toEqual(['aa']);
    expect(unique({ a: 1 })).toEqual([{ a: 1 }]);
    expect(unique(new Set([[1], [1]]))).toEqual([[1]]);
    function* gen() {
      yield 1;
      yield 1;
      yield 2;
    }
    expect(unique(gen())).toEqual([1, 2]);
    const nested = [1];
    expect(unique([nested, [1]])[0]).toBe(nested);
  });

  it('handles 1e5 items, most of them duplicates, keeping first occurrences in order', () => {
    const items = Array.from({ length: 100_000 }, (_, i) => ({ id: i % 1000, tag: `t${i % 7}` }));
    const result = unique(items) as { id: number }[];
    expect(result).toHaveLength(7000);
    expect(result[0]).toBe(items[0]);
  });

  it('agrees with a naive pairwise deep-equality reference on random values (exactness)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(arbitraryValue, fc.boolean()), { maxLength: 12 }), (pairs) => {
        const items = pairs.flatMap(([v, twin]) => (twin ? [v, reordered(v)] : [v]));
        const expected = naiveUnique(items);
        const actual = unique(items);
        expect(actual.length).toBe(expected.length);
        actual.forEach((item, i) => {
          expect(item).toBe(expected[i]);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('stays exact when every hash collides (the bucket check alone separates values)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(arbitraryValue, fc.boolean()), { maxLength: 12 }), (pairs) => {
        const items = pairs.flatMap(([v, twin]) => (twin ? [v, reordered(v)] : [v]));
        const expected = naiveUnique(items);
        const actual = uniqueItems(items, new Canonicalizer({ hashMask: 0 }));
        expect(actual.length).toBe(expected.length);
        actual.forEach((item, i) => {
          expect(item).toBe(expected[i]);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with Set for numbers, including colliding-prone ones (exactness)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double(), fc.constantFrom(-0, NaN, 2 ** 53, -(2 ** 32)))),
        (items) => {
          // By SameValueZero, keeping the first item itself (a Set would turn -0 into 0).
          const expected = items.filter((n, i) => items.findIndex((m) => m === n || (m !== m && n !== n)) === i);
          expect(unique(items)).toEqual(expected);
          expect(unique(items.map((n) => [n]))).toEqual(expected.map((n) => [n]));
        },
      ),
    );
  });
});
