import { describe, expect, it } from 'vitest';
import { dropna } from './dropna.js';
import { toList } from './to-list.js';

describe('dropna', () => {
  it('drops null and undefined at every depth, copying nested arrays into new arrays', () => {
    const inner = [2, undefined, [null, 3]];
    const out = dropna([1, null, inner]);
    expect(out).toEqual([1, [2, [3]]]);
    expect(out[1]).not.toBe(inner);
  });

  it('keeps NaN, 0, false and empty strings', () => {
    expect(dropna([NaN, 0, false, '', null])).toEqual([NaN, 0, false, '']);
  });

  it('is toList(x, { dropna: true }) on every kind of input', () => {
    function* gen() {
      yield null;
      yield [1, undefined];
    }
    const inputs: unknown[] = [null, undefined, 'ab', 5, { a: null }, new Map([[1, null]]), new Set([null, 1]), [1, [null]]];
    for (const input of inputs) expect(dropna(input)).toEqual(toList(input, { dropna: true }));
    expect(dropna(gen())).toEqual([[1]]);
  });

  it('does not look inside plain objects, Maps or nested Sets', () => {
    const object = { a: null };
    const set = new Set([null]);
    expect(dropna([object, set])).toEqual([object, set]);
    expect(dropna([object])[0]).toBe(object);
  });

  it('throws a TypeError naming the cycle for a self-containing array', () => {
    const a: unknown[] = [null];
    a.push(a);
    expect(() => dropna(a)).toThrow(/^dropna: input contains a cycle/);
  });

  it('handles an array nested 1e5 levels deep without overflowing the stack', () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [null, deep];
    let out = dropna(deep);
    let depth = 0;
    let allSingle = true;
    while (out.length > 0) {
      allSingle &&= out.length === 1;
      out = out[0] as unknown[];
      depth++;
    }
    expect(allSingle).toBe(true);
    expect(depth).toBe(100_000);
  });
});
