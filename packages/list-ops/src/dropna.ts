import { topLevel } from './kinds.js';
import { walk } from './walk.js';

/**
 * Drops `null` and `undefined` at every depth, returning a new array.
 * The input becomes a list first as in `toList` (so `dropna(x)` is
 * `toList(x, { dropna: true })`): nested arrays and iterables are copied into
 * new arrays with their nulls dropped too; strings, plain objects, Maps and
 * Sets are kept as they are (not looked into). Any nesting depth works.
 *
 * Throws a TypeError ("dropna: input contains a cycle ...") when an array or
 * iterable contains itself.
 *
 * @example
 * ```ts
 * dropna([1, null, [2, undefined, [null, 3]]]); // [1, [2, [3]]]
 * dropna(null); // []
 * dropna({ a: null }); // [{ a: null }] (objects are kept whole)
 * ```
 *
 * @category Lists
 */
export function dropna(input: unknown): unknown[] {
  const source = topLevel(input, false);
  if (source === null) return [];
  if (source === undefined) return [input];
  return walk(source, { flatten: false, dropna: true, flattenTupleSet: false }, 'dropna');
}
