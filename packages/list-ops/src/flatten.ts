import { topLevel } from './kinds.js';
import { readFlag, readOptions } from './validate.js';
import { walk } from './walk.js';

/**
 * Options of {@link flatten}; both default to `false`.
 *
 * @example
 * ```ts
 * // Sets are kept whole unless asked: a tree whose branches are Sets.
 * const tree = [new Set([1, null]), [new Set([2])]];
 * flatten(tree); // [Set {1, null}, Set {2}]
 * flatten(tree, { flattenTupleSet: true, dropna: true }); // [1, 2]
 * ```
 *
 * @category Lists
 */
export interface FlattenOptions {
  /** Drop `null` and `undefined` at every depth. */
  dropna?: boolean;
  /** Flatten nested Sets too. */
  flattenTupleSet?: boolean;
}

/**
 * Flattens nested arrays and iterables into one new array, at any depth.
 * Strings, plain objects and Maps are
 * never flattened; Sets only with `flattenTupleSet`. The input becomes a list
 * first as in `toList` (a top-level Set or iterable gives its items), so
 * `flatten(x, o)` is `toList(x, { ...o, flatten: true })`.
 *
 * Throws a TypeError ("flatten: input contains a cycle ...") when an array
 * or iterable contains itself, and TypeError for bad options.
 *
 * @example
 * ```ts
 * flatten([1, [2, [3, [4]]]]); // [1, 2, 3, 4]
 * flatten(['ab', { a: [1] }, new Set([2])]); // ['ab', { a: [1] }, Set {2}]
 * flatten([[null, 1], new Set([2])], { dropna: true, flattenTupleSet: true }); // [1, 2]
 * ```
 *
 * @category Lists
 */
export function flatten(input: unknown, options?: FlattenOptions): unknown[] {
  const bag = readOptions(options);
  const dropna = readFlag(bag, 'dropna');
  const flattenTupleSet = readFlag(bag, 'flattenTupleSet');
  const source = topLevel(input, false);
  if (source === null) return [];
  if (source === undefined) return [input];
  return walk(source, { flatten: true, dropna, flattenTupleSet }, 'flatten');
}
