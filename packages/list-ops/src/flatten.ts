import { topLevel } from './kinds.js';
import { readFlag, readOptions } from './validate.js';
import { walk } from './walk.js';

/**
 * Options of {@link flatten}; both default to `false`.
 *
 * @example
 * ```ts
 * const options: FlattenOptions = { dropna: true, flattenTupleSet: true };
 * flatten([null, new Set([1, [2]])], options); // [1, 2]
 * ```
 */
export interface FlattenOptions {
  /** Drop `null` and `undefined` at every depth. */
  dropna?: boolean;
  /** Flatten nested Sets too. */
  flattenTupleSet?: boolean;
}

/**
 * Flattens nested arrays and iterables into one new array, at any depth
 * (an explicit stack, no recursion). Strings, plain objects and Maps are
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
