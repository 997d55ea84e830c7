import { checkFunction, checkNumber } from '@lf/scope/internal';
import { Throttle } from './throttle.js';

/**
 * What `throttle(period)` returns: a higher-order function and a TC39
 * (TypeScript 5 standard) method decorator in one.
 *
 * @example
 * ```ts
 * const every100: ThrottleDecorator = throttle(100);
 * const a = every100(fetchA); // a and b share one schedule
 * const b = every100(fetchB);
 * every100.throttle.pending; // waiting calls
 * ```
 */
export interface ThrottleDecorator {
  /** Higher-order use: `throttle(100)(fn)`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- `any[]` is the only bound that accepts every parameter list (unknown[] rejects functions with typed parameters)
  <F extends (...args: any[]) => unknown>(fn: F): (...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>>;
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

/** The kinds of TC39 decorator contexts; a context of any other kind than 'method' is refused. */
const contextKinds = new Set(['class', 'method', 'getter', 'setter', 'field', 'accessor']);

/**
 * Throttles a function or a method so that consecutive calls START at least
 * `period` ms apart (FIFO, drift-free; see {@link Throttle}). Works as a
 * higher-order function and as a standard (TC39, TypeScript 5) method
 * decorator; `this` and the arguments are passed through, and a sync function
 * becomes async.
 *
 * One `Throttle` is created per `throttle(period)` call and shared by whatever
 * it decorates: with `@throttle(100)` on a method, all instances of the class
 * share one schedule (as in Python, where the decorator holds one Throttle per
 * function). For one schedule per instance, create a `Throttle` in the
 * constructor and use its `wrap` / `call`.
 *
 * @throws TypeError / RangeError naming `period` when it is not a finite number >= 0.
 *
 * @example
 * ```ts
 * const ping = throttle(1000)(async (host: string) => fetch(host));
 *
 * class Client {
 *   @throttle(250)
 *   async send(message: string): Promise<void> { await this.socket.send(message); }
 * }
 * ```
 */
export function throttle(period: number): ThrottleDecorator {
  checkNumber(period, 'period', { min: 0 });
  const shared = new Throttle(period);
  const apply = (fn: unknown, context?: unknown): unknown => {
    if (isDecoratorContext(context) && context.kind !== 'method') {
      throw new TypeError(`throttle decorates methods only (got a ${context.kind} decorator)`);
    }
    checkFunction(fn, 'fn');
    return shared.wrap(fn as (...args: unknown[]) => unknown);
  };
  return Object.assign(apply, { throttle: shared }) as ThrottleDecorator;
}

function isDecoratorContext(value: unknown): value is { kind: string } {
  return (
    typeof value === 'object' && value !== null &&
    typeof (value as { kind?: unknown }).kind === 'string' &&
    contextKinds.has((value as { kind: string }).kind)
  );
}
