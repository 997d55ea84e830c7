import { checkDecoratorTarget } from '@lf/scope/internal';
import { Limiter, submitCall } from './limiter.js';
import { checkLimit } from './signal-options.js';

/** A function limited by {@link maxConcurrent}: always async, with its `Limiter` exposed. @category Limits */
export type LimitedFunction<This, A extends unknown[], R> = ((this: This, ...args: A) => Promise<Awaited<R>>) & {
  /**
   * The limiter every call goes through: the one shared by everything the
   * same `maxConcurrent(limit)` call wrapped (read its counts, change its
   * `limit`, `pause()` it).
   */
  readonly limiter: Limiter;
};

/**
 * What `maxConcurrent(limit)` returns: call it with a function (higher-order
 * use) or put it on a method with `@` (TC39 standard decorator).
 * @category Limits
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
  /** The one `Limiter` shared by every function and method this `maxConcurrent(limit)` call wraps. */
  readonly limiter: Limiter;
}

type Callable = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Limits how many calls run at once: Python's `@max_concurrent(limit)`.
 * One function, two uses:
 *
 * - higher-order: `maxConcurrent(3)(fn)` returns an async function (same
 *   parameters, `this` passed through);
 * - TC39 standard method decorator (TypeScript 5 decorators, not
 *   `experimentalDecorators`): `@maxConcurrent(3) async method() {}`.
 *
 * ONE {@link Limiter} is created per `maxConcurrent(limit)` call and shared
 * by everything it wraps: `const l = maxConcurrent(2); l(f); l(g)` lets at
 * most 2 calls of f and g together run at once. It is `.limiter` on the
 * factory and on each wrapped function (the same rule as `throttle`). With
 * `@maxConcurrent(2)` on a method, every instance of the class shares that
 * limiter (like Python's decorator, one semaphore per function); for a
 * limit per instance, create a `Limiter` in the constructor instead.
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
 * const twoAtOnce = maxConcurrent(2);
 * const getUser = twoAtOnce(async (id: number) => ({ id }));
 * const getOrder = twoAtOnce(async (id: number) => ({ id, total: 10 }));
 * await Promise.all([getUser(1), getOrder(2), getUser(3)]); // at most 2 in flight, together
 * twoAtOnce.limiter === getUser.limiter; // true
 *
 * class Crawler {
 *   @maxConcurrent(2)
 *   async visit(url: string) { return url.length; }
 * }
 * ```
 * @category Limits
 */
export function maxConcurrent(limit: number): ConcurrencyLimit {
  checkLimit(limit, 'limit');
  const limiter = new Limiter(limit);
  const apply = function applyLimit(fn: unknown, context?: unknown): unknown {
    checkDecoratorTarget('maxConcurrent', fn, context);
    const target = fn as Callable;
    const limited = function (this: unknown, ...args: unknown[]): Promise<unknown> {
      return submitCall(limiter, target, this, args);
    };
    Object.defineProperty(limited, 'name', { value: target.name, configurable: true });
    Object.defineProperty(limited, 'limiter', { value: limiter, enumerable: true });
    return limited;
  };
  Object.defineProperty(apply, 'limiter', { value: limiter, enumerable: true });
  return apply as unknown as ConcurrencyLimit;
}
