/**
 * The engine behind toList, flatten and dropna: one pass over the input with
 * an explicit stack (no recursion, so nesting depth is bounded by memory, not
 * by the call stack), detecting cycles on the current path.
 */
import { isDescendable, isIndexed } from './kinds.js';

/**
 * What {@link walk} does with nested arrays and iterables.
 *
 * @example
 * ```ts
 * const options: WalkOptions = { flatten: true, dropna: false, flattenTupleSet: false };
 * ```
 */
export interface WalkOptions {
  /** Splice nested items into the result (else each nested one becomes a new array). */
  readonly flatten: boolean;
  /** Drop `null` and `undefined` at every depth. */
  readonly dropna: boolean;
  /** Walk into nested Sets too. */
  readonly flattenTupleSet: boolean;
}

/** One array or iterable being read. */
interface Frame {
  readonly source: object;
  /** Read by index when there is no iterator (arrays and typed arrays). */
  readonly list: ArrayLike<unknown>;
  /** Set for every other iterable. */
  readonly iterator: Iterator<unknown> | undefined;
  index: number;
  /** Where this frame's items go: the result itself when flattening. */
  readonly out: unknown[];
}

const NONE: readonly unknown[] = [];

function open(source: object, out: unknown[]): Frame {
  if (isIndexed(source)) return { source, list: source, iterator: undefined, index: 0, out };
  const iterator = (source as Iterable<unknown>)[Symbol.iterator]();
  return { source, list: NONE, iterator, index: 0, out };
}

/** Calls `return()` on an iterator left part-way, as `for...of` does; its own errors are ignored. */
function close(frame: Frame): void {
  try {
    frame.iterator?.return?.();
  } catch {
    // The error that stopped the walk is the one worth reporting.
  }
}

/**
 * Reads `source` (an array or iterable) into a new array, walking nested
 * arrays and iterables (see `isDescendable`): spliced in with `flatten`, else
 * copied into new arrays. Throws a TypeError naming `caller` when an array or
 * iterable contains itself (on the current path: shared, non-cyclic nesting
 * is fine). Iterators left part-way by an error are closed.
 *
 * @example
 * ```ts
 * walk([1, [2, [3, null]]], { flatten: true, dropna: true, flattenTupleSet: false }, 'flatten'); // [1, 2, 3]
 * walk([1, [2, null]], { flatten: false, dropna: true, flattenTupleSet: false }, 'toList'); // [1, [2]]
 * ```
 */
export function walk(source: object, options: WalkOptions, caller: string): unknown[] {
  const { flatten, dropna, flattenTupleSet } = options;
  const result: unknown[] = [];
  const stack: Frame[] = [];
  const path = new Set<object>([source]);
  let frame = open(source, result);
  let inNext = false;
  try {
    for (;;) {
      let item: unknown;
      const iterator = frame.iterator;
      let done: boolean;
      if (iterator === undefined) {
        const list = frame.list;
        done = frame.index >= list.length;
        if (!done) item = list[frame.index++];
      } else {
        inNext = true;
        const step = iterator.next();
        inNext = false;
        done = step.done === true;
        item = step.value;
      }
      if (done) {
        path.delete(frame.source);
        const parent = stack.pop();
        if (parent === undefined) return result;
        if (!flatten) parent.out.push(frame.out);
        frame = parent;
        continue;
      }
      if (item === null || item === undefined) {
        if (!dropna) frame.out.push(item);
        continue;
      }
      if (typeof item !== 'object' || !isDescendable(item, flattenTupleSet)) {
        frame.out.push(item);
        continue;
      }
      if (path.has(item)) {
        throw new TypeError(`${caller}: input contains a cycle (an array or iterable contains itself)`);
      }
      const child = open(item, flatten ? frame.out : []);
      path.add(item);
      stack.push(frame);
      frame = child;
    }
  } catch (error) {
    // An iterator whose own next() threw is finished; every other open one is closed.
    if (!inNext) close(frame);
    for (const parent of stack.reverse()) close(parent);
    throw error;
  }
}
