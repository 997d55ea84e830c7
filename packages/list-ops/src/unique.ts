import { Canonicalizer, kindOf } from './canonical.js';
import { topLevel } from './kinds.js';

/**
 * Keeps the first of each group of equal items, in order (see {@link unique}
 * for the equality rules). Primitives and identity-compared objects go
 * through one `Set`; structural values through a {@link Canonicalizer},
 * created only when the list holds one (tests may pass their own). O(total
 * size) expected time.
 *
 * @example
 * ```ts
 * uniqueItems([1, 1, { a: 1 }, { a: 1 }]); // [1, { a: 1 }]
 * ```
 */
export function uniqueItems(items: Iterable<unknown>, canonicalizer?: Canonicalizer): unknown[] {
  const out: unknown[] = [];
  const seenAtoms = new Set<unknown>();
  let canon = canonicalizer;
  let seenShapes: Set<number> | undefined;
  for (const item of items) {
    if (kindOf(item) === 0) {
      const before = seenAtoms.size;
      seenAtoms.add(item);
      if (seenAtoms.size !== before) out.push(item);
      continue;
    }
    canon ??= new Canonicalizer();
    seenShapes ??= new Set<number>();
    const before = seenShapes.size;
    seenShapes.add(canon.idOf(item));
    if (seenShapes.size !== before) out.push(item);
  }
  return out;
}

/**
 * Returns the items of `input` without duplicates, keeping the first of
 * each group of equal items, in their original order.
 *
 * `input` becomes a list as in `toList` (no flattening): `null`/`undefined`
 * -> `[]`; an array, Set, generator or other iterable -> its items; anything
 * else (a string, a plain object, a Map...) -> `[input]`. Items are returned
 * as they are (the same references, nested arrays not copied).
 *
 * Equality:
 * - primitives by SameValueZero: one `NaN`, `-0` equals `0`, and `1`, `true`
 *   and `'1'` are all distinct;
 * - arrays, plain objects, Maps, Sets and Dates by structure, at any depth:
 *   property and Map-entry order is ignored, Set elements are matched one to
 *   one, Dates by time, Map keys by identity/SameValueZero (as `Map.get` does);
 * - every other object (RegExp, typed arrays, class instances, functions) by identity.
 *
 * Exact (no hash collisions can merge distinct values) and O(n) expected
 * time. A structural value that contains itself throws a TypeError.
 *
 * @example
 * ```ts
 * unique([3, 1, 3, NaN, NaN]); // [3, 1, NaN]
 * unique([{ a: 1, b: [2] }, { b: [2], a: 1 }, { a: 2 }]); // [{ a: 1, b: [2] }, { a: 2 }]
 * unique([1, true, '1']); // [1, true, '1']
 * ```
 *
 * @category Lists
 */
export function unique(input: unknown): unknown[] {
  const source = topLevel(input, false);
  if (source === null) return [];
  if (source === undefined) return [input];
  return uniqueItems(source as Iterable<unknown>);
}
