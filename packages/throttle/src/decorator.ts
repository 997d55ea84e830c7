import { checkDecoratorTarget, checkNumber } from '@lf/scope/internal';
import { Throttle } from './throttle.js';

/**
 * A function wrapped by `throttle(period)`: async, with the shared `Throttle` attached.
 *
 * @example
 * ```ts
 * // Callers see the schedule they are on: here, how many calls wait for a start.
 * const send: Throttled<typeof post> = throttle(500)(post);
 * if (send.throttle.pendingCount > 100) console.warn('falling behind');
 * ```
 *
 * @category Limits
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- `any[]` is the only bound that accepts every parameter list
export type Throttled<F extends (...args: any[]) => unknown> = ((...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>>) & {
  /** The `Throttle` shared by everything this `throttle(period)` call wrapped. */
  readonly throttle: Throttle;
};

/**
 * What `throttle(period)` returns: a higher-order function and a TC39
 * (TypeScript 5 standard) method decorator in one, with the one `Throttle`
 * everything it wraps shares.
 *
 * @example
 * ```ts
 * // Every function of one API client on one schedule: starts 100 ms apart in all.
 * function client(schedule: ThrottleDecorator) {
 *   return { get: schedule(getJson), post: schedule(postJson) };
 * }
 * const api = client(throttle(100));
 * await Promise.all([api.get('/a'), api.post('/b', body), api.get('/c')]); // starts at 0, 100, 200 ms
 * ```
 *
 * @category Limits
 */
export interface ThrottleDecorator {
  /** Higher-order use: `throttle(100)(fn)`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- `any[]` is the only bound that accepts every parameter list (unknown[] rejects functions with typed parameters)
  <F extends (...args: any[]) => unknown>(fn: F): Throttled<F>;
  /**
   * Decorator use: `@throttle(100) async method() {}`. The method becomes async,
   * so it must be declared to return a Promise.
   */
  <This, A extends unknown[], R>(
    method: (this: This, ...args: A) => Promise<R>,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: A) => Promise<R>>,
  ): (this: This, ...args: A) => Promise<R>;
  /** The `Throttle` every function or method decorated by this `throttle(period)` call shares. */
  readonly throttle: Throttle;
}

/**
 * Throttles a function or a method so that consecutive calls START at least
 * `period` ms apart, on real time (FIFO; see {@link Throttle}). Works as a
 * higher-order function and as a standard (TC39, TypeScript 5) method
 * decorator; `this` and the arguments are passed through, a sync function
 * becomes async, and each call runs in its caller's async context.
 *
 * ONE `Throttle` is created per `throttle(period)` call and shared by
 * everything it wraps: `const t = throttle(100); t(f); t(g)` puts f and g on
 * one schedule, and with `@throttle(100)` on a method, all instances of the
 * class share one schedule. It is `.throttle` on the factory and on each
 * wrapped function. For one schedule per instance, create a `Throttle` in
 * the constructor and use its `wrap` / `call`.
 *
 * @throws TypeError / RangeError naming `period` when it is not a finite number > 0.
 *
 * @example
 * ```ts
 * const ping = throttle(1000)(async (host: string) => fetch(host));
 * await Promise.all(hosts.map((host) => ping(host))); // one start per second, in order
 *
 * class Client {
 *   @throttle(250)
 *   async send(message: string): Promise<void> { await this.socket.send(message); }
 * }
 * ```
 *
 * @category Limits
 */
export function throttle(period: number): ThrottleDecorator {
  checkNumber(period, 'period', { min: 0, exclusiveMin: true });
  // One Throttle per throttle(period) call, as in Python, where the decorator
  // holds one Throttle per decorated function.
  const shared = new Throttle(period);
  const apply = (fn: unknown, context?: unknown): unknown => {
    checkDecoratorTarget('throttle', fn, context);
    const wrapped = shared.wrap(fn as (...args: unknown[]) => unknown);
    Object.defineProperty(wrapped, 'throttle', { value: shared, enumerable: true });
    return wrapped;
  };
  Object.defineProperty(apply, 'throttle', { value: shared, enumerable: true });
  return apply as unknown as ThrottleDecorator;
}
