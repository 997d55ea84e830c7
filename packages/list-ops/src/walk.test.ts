import { describe, expect, it } from 'vitest';
import { walk } from './walk.js';

const FLAT = { flatten: true, dropna: false, flattenTupleSet: false };
const NESTED = { flatten: false, dropna: false, flattenTupleSet: false };

describe('walk', () => {
  it('splices nested arrays and iterables in with flatten, in order', () => {
    function* gen() {
      yield 2;
      yield [3, new Uint8Array([4])];
    }
    expect(walk([1, gen(), [[5]]], FLAT, 't')).toEqual([1, 2, 3, 4, 5]);
  });

  it('copies nested arrays and iterables into new arrays without flatten', () => {
    const inner = [2, [3]];
    const out = walk([1, inner], NESTED, 't');
    expect(out).toEqual([1, [2, [3]]]);
    expect(out[1]).not.toBe(inner);
  });

  it('accepts a shared, non-cyclic nested array more than once', () => {
    const shared = [1, 2];
    expect(walk([shared, [shared]], FLAT, 't')).toEqual([1, 2, 1, 2]);
  });

  it('throws a TypeError naming the caller when an array contains itself', () => {
    const a: unknown[] = [1];
    a.push([a]);
    expect(() => walk(a, FLAT, 'flatten')).toThrow(new TypeError('flatten: input contains a cycle (an array or iterable contains itself)'));
    expect(() => walk(a, NESTED, 'toList')).toThrow(/^toList: input contains a cycle/);
  });

  it('closes every open generator when the walk fails, as for...of would', () => {
    const closed: string[] = [];
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    function* inner() {
      try {
        yield cyclic;
      } finally {
        closed.push('inner');
      }
    }
    function* outer() {
      try {
        yield inner();
      } finally {
        closed.push('outer');
      }
    }
    expect(() => walk(outer(), FLAT, 't')).toThrow(TypeError);
    expect(closed).toEqual(['inner', 'outer']);
  });

  it('propagates an error thrown by an iterator and closes the iterators around it only', () => {
    const boom = new Error('boom');
    let innerReturned = false;
    const failing: Iterable<unknown> = {
      [Symbol.iterator]: () => ({
        next: () => {
          throw boom;
        },
        return: () => {
          innerReturned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    let outerClosed = false;
    function* outer() {
      try {
        yield failing;
      } finally {
        outerClosed = true;
      }
    }
    expect(() => walk(outer(), FLAT, 't')).toThrow(boom);
    expect(innerReturned).toBe(false);
    expect(outerClosed).toBe(true);
  });

  it('walks an array nested 1e5 levels deep without overflowing the stack, in both modes', () => {
    let deep: unknown[] = [0];
    for (let i = 1; i < 100_000; i++) deep = [deep, i];
    const flat = walk(deep, FLAT, 't');
    expect(flat.length).toBe(100_000);
    expect(flat[0]).toBe(0);
    expect(flat[99_999]).toBe(99_999);
    const copy = walk(deep, NESTED, 't');
    expect(copy === deep).toBe(false); // (not.toBe would print the 1e5-deep value)
    expect(copy[1]).toBe(99_999);
  });
});
