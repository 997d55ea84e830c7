import { toList } from '@lf/list-ops';
import { noop, raceSignal, throwIfAborted } from '@lf/scope/internal';
import type { Plan } from './options.js';

/** What alcall reads its items from: an array (by index) or a lazily read (async) iterable. */
export type Source<T> = readonly T[] | Iterable<T> | AsyncIterable<T>;

/**
 * Turns alcall's input into a source of items:
 * - with `sanitizeInput`: `toList(input, { flatten: true, dropna: true, unique: uniqueInput, flattenTupleSet })`
 *   (an async iterable is read to its end first, since flattening and
 *   de-duplication need every item; an abort of `signal` ends that read at
 *   once, even while a `next()` is pending);
 * - otherwise an array is used as it is, a string is one item, any other
 *   iterable or async iterable is read lazily, and any other value is one item.
 *
 * @example
 * ```ts
 * await toSource('abc', plan, signal); // ['abc']
 * ```
 */
export async function toSource<T>(input: unknown, plan: Plan, signal: AbortSignal | undefined): Promise<Source<T>> {
  if (!plan.sanitizeInput) return asSource<T>(input);
  const list = isAsyncIterable(input) ? await readAll(new ItemReader(input), signal) : input;
  return toList(list, {
    flatten: true,
    dropna: true,
    unique: plan.uniqueInput,
    flattenTupleSet: plan.flattenTupleSet,
  }) as T[];
}

/** Every item of `reader`, in order; on an abort the reader is left (closed once its pending `next()` settles). */
async function readAll(reader: ItemReader, signal: AbortSignal | undefined): Promise<unknown[]> {
  const items: unknown[] = [];
  try {
    for (;;) {
      const step = await reader.next(signal);
      if (step.done === true) return items;
      items.push(step.value);
    }
  } catch (error) {
    await reader.close().catch(noop); // the read's own error is the one the caller sees
    throw error;
  }
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
  return value !== null && typeof value === 'object' && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

export function isIterable(value: unknown): value is Iterable<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function'
  );
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * Reads a sync or async iterable one item at a time, abortably:
 * - a pending async `next()` races the signal (an abort rejects at once with
 *   its reason; the source is then closed once that `next()` settles, not
 *   awaited, since it may never answer);
 * - an iterator whose own `next()` threw is finished: it is never closed;
 * - `close()` calls `return()` once, only on an iterator that is not finished.
 *
 * @example
 * ```ts
 * const reader = new ItemReader(source);
 * const step = await reader.next(signal);
 * await reader.close();
 * ```
 */
export class ItemReader {
  readonly #iterator: Iterator<unknown> | AsyncIterator<unknown>;
  readonly #async: boolean;
  #finished = false;
  #pending: PromiseLike<unknown> | undefined = undefined;

  constructor(source: Iterable<unknown> | AsyncIterable<unknown>) {
    this.#async = isAsyncIterable(source);
    this.#iterator = this.#async
      ? (source as AsyncIterable<unknown>)[Symbol.asyncIterator]()
      : (source as Iterable<unknown>)[Symbol.iterator]();
  }

  /** True once the source ended, threw, or was closed. */
  get finished(): boolean {
    return this.#finished;
  }

  /** The next item, or `{ done: true }`; rejects with `signal.reason` on an abort. */
  async next(signal: AbortSignal | undefined): Promise<IteratorResult<unknown>> {
    if (this.#finished) return DONE;
    throwIfAborted(signal);
    let step: IteratorResult<unknown>;
    try {
      if (this.#async) {
        const pending = (this.#iterator as AsyncIterator<unknown>).next();
        this.#pending = pending;
        step = await raceSignal(pending, signal);
        this.#pending = undefined;
      } else {
        step = (this.#iterator as Iterator<unknown>).next();
      }
    } catch (error) {
      if (signal?.aborted !== true || this.#pending === undefined) this.#finished = true; // its own next() threw
      throw error;
    }
    if (step.done === true) this.#finished = true;
    return step;
  }

  /** Closes the source (`return()`), unless it is finished; a pending `next()` is waited for first, in the background. */
  close(): Promise<void> {
    if (this.#finished) return Promise.resolve();
    this.#finished = true;
    return closeIterator(this.#iterator, this.#pending);
  }
}

/**
 * Closes `iterator` (`return()`): its own error rejects the promise. While a
 * `next()` is `pending`, the source is not waited for (it may never answer):
 * it is closed in the background once it does, and that closing's outcome is
 * dropped.
 */
export function closeIterator(
  iterator: Iterator<unknown> | AsyncIterator<unknown>,
  pending: PromiseLike<unknown> | undefined,
): Promise<void> {
  if (pending !== undefined) {
    Promise.resolve(pending)
      .then(() => iterator.return?.())
      .then(noop, noop);
    return Promise.resolve();
  }
  try {
    return Promise.resolve(iterator.return?.()).then(noop);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * `source` unchanged when it is an array; otherwise a view of it that calls
 * `onError` when the iterator itself throws (its `next()` throws or rejects),
 * then rethrows: a failing input stops the call's waits too.
 *
 * @example
 * ```ts
 * const watched = watchSource(source, (error) => stop.abort(error));
 * ```
 */
export function watchSource<T>(source: Source<T>, onError: (error: unknown) => void): Source<T> {
  if (Array.isArray(source)) return source as readonly T[];
  if (isAsyncIterable(source)) {
    return {
      [Symbol.asyncIterator]: () => {
        const iterator = (source as AsyncIterable<T>)[Symbol.asyncIterator]();
        const fail = (error: unknown): never => {
          onError(error);
          throw error;
        };
        return {
          next: () => {
            try {
              return Promise.resolve(iterator.next()).catch(fail);
            } catch (error) {
              return fail(error);
            }
          },
          return: (value?: unknown) => Promise.resolve(iterator.return?.(value) ?? { done: true as const, value: undefined }),
        } as AsyncIterator<T>;
      },
    };
  }
  return {
    [Symbol.iterator]: () => {
      const iterator = (source as Iterable<T>)[Symbol.iterator]();
      return {
        next: () => {
          try {
            return iterator.next();
          } catch (error) {
            onError(error);
            throw error;
          }
        },
        return: (value?: unknown) => iterator.return?.(value) ?? { done: true as const, value: undefined },
      } as Iterator<T>;
    },
  };
}
