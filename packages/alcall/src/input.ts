import { toList } from '@lf/list-ops';
import type { Plan } from './options.js';

/** What alcall reads its items from: an array (by index) or a lazily read (async) iterable. */
export type Source<T> = readonly T[] | Iterable<T> | AsyncIterable<T>;

/**
 * Turns alcall's input into a source of items:
 * - with `sanitizeInput`: `toList(input, { flatten: true, dropna: true, unique: uniqueInput, flattenTupleSet })`
 *   (an async iterable is read to its end first, since flattening and
 *   de-duplication need every item);
 * - otherwise an array is used as it is, a string is one item, any other
 *   iterable or async iterable is read lazily, and any other value is one item.
 *
 * @example
 * ```ts
 * await toSource('abc', plan); // ['abc']
 * ```
 */
export async function toSource<T>(input: unknown, plan: Plan): Promise<Source<T>> {
  if (plan.sanitizeInput) {
    let list: unknown = input;
    if (isAsyncIterable(input)) {
      const items: unknown[] = [];
      for await (const item of input) {
        plan.signal?.throwIfAborted();
        items.push(item);
      }
      list = items;
    }
    return toList(list, {
      flatten: true,
      dropna: true,
      unique: plan.uniqueInput,
      flattenTupleSet: plan.flattenTupleSet,
    }) as T[];
  }
  return asSource<T>(input);
}

/** An array or a lazily read iterable as it is; a string or a non-iterable value as one item. */
export function asSource<T>(input: unknown): Source<T> {
  if (Array.isArray(input)) return input as T[];
  if (typeof input === 'string') return [input as T];
  if (isAsyncIterable(input)) return input as AsyncIterable<T>;
  if (isIterable(input)) return input as Iterable<T>;
  return [input as T];
}

/** The number of items when it is known without reading them. */
export function knownSize(source: Source<unknown>): number | undefined {
  if (Array.isArray(source)) return source.length;
  if (source instanceof Set || source instanceof Map) return source.size;
  return undefined;
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  );
}

export function isIterable(value: unknown): value is Iterable<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function'
  );
}
