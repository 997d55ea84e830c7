import { checkFunction } from '@lf/scope/internal';
import { Limiter, checkLimit, submitCall } from './limiter.js';

/** A function limited by {@link maxConcurrent}: always async, with its `Limiter` exposed. */
export type LimitedFunction<This, A extends unknown[], R> = ((this: This, ...args: A) => Promise<Awaited<R>>) & {
  /** The limiter every call of this function goes through (read its counts, change its `limit`). */
  readonly limiter: Limiter;
};

/**
 * What `maxConcurrent(limit)` returns: call it with a function (higher-order
 * use) or put it on a method with `@` (TC39 standard decorator).
 */
export interface ConcurrencyLimit {
  /**
   * Standard method decorator. The method must return a promise (a
   * decorator cannot change a method's type; a sync method still works at
   * run time from JavaScript, and becomes async).
   */
  <This, A extends unknown[], R>(
    method: (this: This, ...args: A) => PromiseLike<R>,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: A) => PromiseLike<R>>,
  ): (this: This, ...args: A) => Promise<R>;
  /** Higher-order use: returns an async function with `fn`'s parameters, sharing one `Limiter`. */
  <This, A extends unknown[], R>(fn: (this: This, ...args: A) => R | PromiseLike<R>): LimitedFunction<This, A, R>;
}

type Callable = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Limits how many calls of a function run at once: Python's
 * `@max_concurrent(limit)`. One function, two uses:
 *
 * - higher-order: `maxConcurrent(3)(fn)` returns an async function (same
 *   parameters, `this` passed through) whose calls share one {@link Limiter};
 * - TC39 standard method decorator (TypeScript 5 decorators, not
 *   `experimentalDecorators`): `@maxConcurrent(3) async method() {}`. The
 *   limiter belongs to the method, so it is **shared by every instance**
 *   (like Python's decorator, one semaphore per function). For a limit per
 *   instance, create a `Limiter` in the constructor instead.
 *
 * Each application makes its own `Limiter`: `const l = maxConcurrent(2);
 * l(f); l(g)` limits `f` and `g` separately (share a `Limiter` to pool them).
 *
 * JavaScript has no thread pool for closures: a sync function becomes async
 * (its result arrives as a promise) but still runs on the event loop, so
 * CPU-bound sync work blocks it all the same. Move such work to a worker
 * pool (Worker threads / Web Workers); limit the calls that await it.
 *
 * @param limit - integer >= 1, or `Infinity`; checked here, at decoration time.
 * @throws RangeError / TypeError for a bad `limit`; TypeError when applied to
 *   a non-function or used on anything but a method (field, getter, class...).
 * @example
 * ```ts
 * const fetchLimited = maxConcurrent(3)(fetchJson);
 * await Promise.all(urls.map((u) => fetchLimited(u))); // at most 3 in flight
 *
 * class Crawler {
 *   @maxConcurrent(2)
 *   async visit(url: string) { return fetch(url); }
 * }
 * ```
 */
export function maxConcurrent(limit: number): ConcurrencyLimit {
  checkLimit(limit, 'limit');
  return function applyLimit(fn: unknown, context?: unknown): unknown {
    checkFunction(fn, 'fn');
    if (typeof context === 'object' && context !== null && typeof (context as { kind?: unknown }).kind === 'string') {
      const kind = (context as { kind: string }).kind;
      if (kind !== 'method') {
        throw new TypeError(`maxConcurrent decorates methods only (got a ${kind})`);
      }
    }
    const limiter = new Limiter(limit);
    const target = fn as Callable;
    const limited = function (this: unknown, ...args: unknown[]): Promise<unknown> {
      return submitCall(limiter, target, this, args);
    };
    Object.defineProperty(limited, 'name', { value: target.name, configurable: true });
    Object.defineProperty(limited, 'limiter', { value: limiter, enumerable: true });
    return limited;
  } as ConcurrencyLimit;
}
