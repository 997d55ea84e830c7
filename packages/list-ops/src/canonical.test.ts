import { describe, expect, it } from 'vitest';
import { Canonicalizer, kindOf } from './canonical.js';

class Box {
  constructor(readonly value: number) {}
}

describe('kindOf', () => {
  it('compares primitives, functions and class instances (RegExp, typed arrays, custom classes) as atoms', () => {
    for (const value of [1, 'a', null, undefined, true, 1n, Symbol('s'), () => 1, /a/, new Uint8Array(1), new Box(1), new Error('x')]) {
      expect(kindOf(value)).toBe(0);
    }
  });

  it('compares arrays, plain objects, Maps, Sets and Dates by structure, each as its own kind', () => {
    const kinds = [[], {}, Object.create(null), new Map(), new Set(), new Date(0)].map(kindOf);
    expect(kinds.every((k) => k !== 0)).toBe(true);
    expect(kinds[1]).toBe(kinds[2]);
    expect(new Set(kinds).size).toBe(5);
  });
});

describe('Canonicalizer', () => {
  it('gives equal ids to structurally equal values and distinct ids otherwise', () => {
    const canon = new Canonicalizer();
    expect(canon.idOf({ a: [1, { b: 2 }], c: 'x' })).toBe(canon.idOf({ c: 'x', a: [1, { b: 2 }] }));
    expect(canon.idOf([1, 23])).not.toBe(canon.idOf([12, 3]));
    expect(canon.idOf([[1], 2])).not.toBe(canon.idOf([1, [2]]));
    expect(canon.idOf({ a: 1 })).not.toBe(canon.idOf(new Map([['a', 1]])));
    expect(canon.idOf([])).not.toBe(canon.idOf({}));
    expect(canon.idOf(new Set())).not.toBe(canon.idOf([]));
  });

  it('confirms bucket candidates element by element: with every hash colliding, distinct values stay distinct', () => {
    const canon = new Canonicalizer({ hashMask: 0 });
    const values = [[-1], [-2], [1], [true], ['1'], { a: 1 }, { b: 1 }, { a: 2 }, new Map([['a', 1]]), new Set([1]), new Set([2]), [], {}];
    const ids = values.map((v) => canon.idOf(v));
    expect(new Set(ids).size).toBe(values.length);
    expect(canon.idOf([-1])).toBe(ids[0]);
    expect(canon.idOf({ a: 2 })).toBe(ids[7]);
  });

  it('sorts many keys (beyond the small-object path) independently of insertion order', () => {
    const canon = new Canonicalizer();
    const forward: Record<string, number> = {};
    const backward: Record<string, number> = {};
    for (let i = 0; i < 100; i++) forward[`k${i}`] = i;
    for (let i = 99; i >= 0; i--) backward[`k${i}`] = i;
    expect(canon.idOf(forward)).toBe(canon.idOf(backward));
    backward.k50 = -1;
    const fresh = new Canonicalizer();
    expect(fresh.idOf(forward)).not.toBe(fresh.idOf(backward));
  });

  it('costs shared sub-structures once (a DAG with 2^60 paths finishes)', () => {
    const canon = new Canonicalizer();
    let node: unknown = [0];
    for (let i = 0; i < 60; i++) node = [node, node];
    let other: unknown = [0];
    for (let i = 0; i < 60; i++) other = { x: other, y: other };
    expect(canon.idOf(node)).toBe(canon.idOf(node));
    expect(canon.idOf(node)).not.toBe(canon.idOf(other));
  });

  it('throws a TypeError for a value that contains itself, through any structural kind', () => {
    const object: Record<string, unknown> = {};
    object.self = [new Map([['k', new Set([object])]])];
    expect(() => new Canonicalizer().idOf(object)).toThrow(TypeError);
    expect(() => new Canonicalizer().idOf(object)).toThrow(/cycle/);
  });

  it('does not look inside identity-compared objects, so cycles through them are fine', () => {
    const box = new Box(1) as Box & { self?: unknown };
    box.self = { box };
    const canon = new Canonicalizer();
    expect(canon.idOf({ b: box })).toBe(canon.idOf({ b: box }));
  });

  it('handles a plain object nested 50 000 levels deep without overflowing the stack', () => {
    let a: unknown = 0;
    let b: unknown = 0;
    for (let i = 0; i < 50_000; i++) {
      a = { next: a };
      b = { next: b };
    }
    const canon = new Canonicalizer();
    expect(canon.idOf(a)).toBe(canon.idOf(b));
  });
});
