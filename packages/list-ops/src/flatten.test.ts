import { describe, expect, it } from 'vitest';
import { flatten } from './flatten.js';
import { toList } from './to-list.js';

describe('flatten', () => {
  it('flattens nested arrays and iterables recursively, in order', () => {
    function* gen() {
      yield [4, [5]];
    }
    expect(flatten([1, [2, [3]], gen(), new Float32Array([6])])).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('is toList(x, { ...options, flatten: true }) on every kind of input', () => {
    const inputs: unknown[] = [null, undefined, 'ab', 5, { a: [1] }, new Map([[1, 2]]), new Set([1, [2]]), [1, [null, new Set([2])]]];
    for (const input of inputs) {
      for (const options of [{}, { dropna: true }, { flattenTupleSet: true }, { dropna: true, flattenTupleSet: true }]) {
        expect(flatten(input, options)).toEqual(toList(input, { ...options, flatten: true }));
      }
    }
  });

  it('never flattens strings, plain objects or Maps; Sets only with flattenTupleSet', () => {
    const object = { a: [1] };
    const map = new Map([[1, [2]]]);
    const set = new Set([3, [4]]);
    expect(flatten(['ab', [object, map, set]])).toEqual(['ab', object, map, set]);
    expect(flatten(['ab', [object, map, set]], { flattenTupleSet: true })).toEqual(['ab', object, map, 3, 4]);
  });

  it('drops null and undefined at every depth with dropna', () => {
    expect(flatten([null, [undefined, [1, null]]], { dropna: true })).toEqual([1]);
    expect(flatten([null, [undefined, [1]]])).toEqual([null, undefined, 1]);
  });

  it('throws a TypeError naming the cycle for a self-containing array', () => {
    const a: unknown[] = [1];
    a.push(a);
    expect(() => flatten(a)).toThrow(new TypeError('flatten: input contains a cycle (an array or iterable contains itself)'));
  });

  it('throws a TypeError naming the cycle for an iterable that yields itself, and closes its iterators', () => {
    let closed = 0;
    const loop: Iterable<unknown> = {
      *[Symbol.iterator]() {
        try {
          yield loop;
        } finally {
          closed++;
        }
      },
    };
    expect(() => flatten(loop)).toThrow(/^flatten: input contains a cycle/);
    expect(closed).toBe(1);
  });

  it('flattens an array nested 1e5 levels deep without overflowing the stack', () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [i, deep];
    const out = flatten(deep);
    expect(out.length).toBe(100_000);
    expect(out[0]).toBe(99_999);
    expect(out[99_999]).toBe(0);
  });

  it('throws a TypeError naming the option for a non-boolean dropna or flattenTupleSet', () => {
    expect(() => flatten([1], { dropna: 'yes' } as never)).toThrow(/^dropna must be a boolean/);
    expect(() => flatten([1], { flattenTupleSet: 1 } as never)).toThrow(/^flattenTupleSet must be a boolean/);
  });

  it('throws a TypeError for an options argument that is not an object', () => {
    expect(() => flatten([1], 'dropna' as never)).toThrow(/options must be an object/);
    expect(() => flatten([1], null as never)).toThrow(TypeError);
  });
});
