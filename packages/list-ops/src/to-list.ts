import { topLevel } from './kinds.js';
import { uniqueItems } from './unique.js';
import { readFlag, readOptions } from './validate.js';
import { walk } from './walk.js';

/**
 * Options of {@link toList}; every flag defaults to `false`.
 *
 * @example
 * ```ts
 * // A helper with its own defaults that callers can still override.
 * function tags(input: unknown, options?: ToListOptions): unknown[] {
 *   return toList(input, { flatten: true, dropna: true, ...options });
 * }
 * tags([['a', null], 'b', ['a']], { unique: true }); // ['a', 'b']
 * ```
 *
 * @category Lists
 */
export interface ToListOptions {
  /** Flatten nested arrays and iterables recursively (never strings, plain objects or Maps). */
  flatten?: boolean;
  /** Drop `null` and `undefined` at every depth. */
  dropna?: boolean;
  /** Keep the first of equal items (structural equality); requires `flatten: true`. */
  unique?: boolean;
  /** A top-level plain object or Map gives its values instead of itself. */
  useValues?: boolean;
  /** Flatten nested Sets too (a Set plays Python's tuple/set). */
  flattenTupleSet?: boolean;
}

/**
 * Converts any input to a new array, as Python's `to_list` does.
 *
 * - `null` / `undefined` -> `[]`; an array -> a shallow copy; a string -> `[s]`;
 *   a plain object or a Map -> `[obj]` (with `useValues`: its values);
 *   a Set or any other iterable (generator, typed array, `map.values()`) -> its items;
 *   anything else -> `[x]`.
 * - Nested arrays and iterables are walked: spliced in with `flatten`, else
 *   copied into new arrays. Strings, plain objects and Maps are never walked;
 *   Sets only with `flattenTupleSet`.
 * - `dropna` drops `null` and `undefined` at every walked depth.
 * - `unique` (with `flatten`) keeps the first of equal items, like {@link unique}.
 *
 * Throws TypeError for a non-object `options` or a non-boolean flag, RangeError
 * for `unique` without `flatten`, and TypeError when an array or iterable
 * contains itself. Any nesting depth works.
 *
 * @example
 * ```ts
 * toList(null); // []
 * toList('abc'); // ['abc']
 * toList([1, [2, [3, null]]], { flatten: true, dropna: true }); // [1, 2, 3]
 * toList({ a: 1, b: 2 }, { useValues: true }); // [1, 2]
 * toList([1, [1], 1], { flatten: true, unique: true }); // [1]
 * ```
 *
 * @category Lists
 */
export function toList(input: unknown, options?: ToListOptions): unknown[] {
  const bag = readOptions(options);
  const flatten = readFlag(bag, 'flatten');
  const dropna = readFlag(bag, 'dropna');
  const unique = readFlag(bag, 'unique');
  const useValues = readFlag(bag, 'useValues');
  const flattenTupleSet = readFlag(bag, 'flattenTupleSet');
  if (unique && !flatten) {
    throw new RangeError('unique requires flatten: true (toList only dedupes a flattened list, as Python does)');
  }
  const source = topLevel(input, useValues);
  if (source === null) return [];
  if (source === undefined) return [input];
  const list = walk(source, { flatten, dropna, flattenTupleSet }, 'toList');
  return unique ? uniqueItems(list) : list;
}
