/**
 * How list-ops sees a value: which values are walked into (arrays and
 * iterables), which are kept whole (strings, plain objects, Maps, and Sets
 * unless `flattenTupleSet`), and how the top-level input becomes a list.
 */

/**
 * True for a plain object: its prototype is `Object.prototype`, `null`, or
 * (another realm's) root prototype. Class instances are not plain.
 *
 * @example
 * ```ts
 * isPlainObject({ a: 1 }); // true
 * isPlainObject(Object.create(null)); // true
 * isPlainObject(new Date()); // false
 * ```
 */
export function isPlainObject(value: unknown): value is Record<PropertyKey, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

/**
 * True when a nested `item` is walked into (flattened, or copied into a new
 * array without `flatten`): arrays, and every iterable except strings (also
 * `String` objects) and Maps; Sets only with `flattenTupleSet`.
 *
 * @example
 * ```ts
 * isDescendable([1], false); // true
 * isDescendable(new Set([1]), false); // false
 * isDescendable(new Set([1]), true); // true
 * isDescendable(new Map(), true); // false
 * ```
 */
export function isDescendable(item: object, flattenTupleSet: boolean): boolean {
  if (Array.isArray(item)) return true;
  if (item instanceof Map || item instanceof String) return false;
  if (item instanceof Set) return flattenTupleSet;
  return typeof (item as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

/**
 * An `ArrayLike` read by index rather than through the iterator protocol (arrays, typed arrays).
 *
 * @example
 * ```ts
 * isIndexed(new Uint8Array(2)); // true
 * isIndexed(new Set()); // false
 * ```
 */
export function isIndexed(value: object): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/**
 * What the top level of an input turns into, before walking:
 * `null` for an empty list (`null`/`undefined` input), `undefined` when the
 * input is a single item (`[input]`), else the array or iterable whose items
 * are the list.
 *
 * - array, Set, generator, typed array, any other iterable: its items;
 * - string (or `String` object): a single item;
 * - Map: a single item, or its values with `useValues`;
 * - plain object: a single item, or `Object.values` with `useValues`;
 * - anything else (numbers, functions, class instances...): a single item.
 *
 * @example
 * ```ts
 * topLevel(null, false); // null       -> []
 * topLevel('ab', false); // undefined  -> ['ab']
 * topLevel(new Set([1]), false); // the Set itself: walk its items
 * ```
 */
export function topLevel(input: unknown, useValues: boolean): object | null | undefined {
  if (input === null || input === undefined) return null;
  if (typeof input !== 'object') return undefined;
  if (Array.isArray(input)) return input as unknown[];
  if (input instanceof String) return undefined;
  if (input instanceof Map) return useValues ? input.values() : undefined;
  if (typeof (input as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function') return input;
  if (useValues && isPlainObject(input)) return Object.values<unknown>(input);
  return undefined;
}
