import { describe, expect, it } from 'vitest';
import * as listOps from './index.js';

describe('@lf/list-ops public API', () => {
  it('exports exactly toList, flatten, dropna and unique', () => {
    expect(Object.keys(listOps).sort()).toEqual(['dropna', 'flatten', 'toList', 'unique']);
  });

  it('gives the results the README example shows', () => {
    expect(listOps.toList(null)).toEqual([]);
    expect(listOps.toList('abc')).toEqual(['abc']);
    expect(listOps.toList(new Set([1, 2]))).toEqual([1, 2]);
    expect(listOps.toList({ a: 1, b: 2 }, { useValues: true })).toEqual([1, 2]);
    expect(listOps.toList([1, [2, [3, null]]], { flatten: true, dropna: true })).toEqual([1, 2, 3]);
    expect(listOps.toList([{ id: 1 }, [{ id: 1 }], 2], { flatten: true, unique: true })).toEqual([{ id: 1 }, 2]);
    expect(listOps.flatten([1, [2, new Set([3])]], { flattenTupleSet: true })).toEqual([1, 2, 3]);
    expect(listOps.dropna([1, null, [undefined, 2]])).toEqual([1, [2]]);
    expect(listOps.unique([{ a: 1, b: 2 }, { b: 2, a: 1 }, NaN, NaN])).toEqual([{ a: 1, b: 2 }, NaN]);
  });

  it('works end to end on mixed input', () => {
    const rows = [[{ id: 1 }, null], [{ id: 1 }], new Set([{ id: 2 }])];
    expect(listOps.toList(rows, { flatten: true, dropna: true, unique: true, flattenTupleSet: true })).toEqual([{ id: 1 }, { id: 2 }]);
  });
});
