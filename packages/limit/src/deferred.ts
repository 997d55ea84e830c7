/**
 * Creates a promise and stores its resolve/reject functions on `target`,
 * without allocating an executor closure per promise (hot paths create one
 * promise per queued call). Internal to @lf/limit.
 */

/** Something that will settle a promise later. */
export interface Settler<T> {
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason: unknown) => void;
}

const nobody: Settler<never> = { resolve: noop, reject: noop };
let target: Settler<never> = nobody;

function capture(resolve: (value: never) => void, reject: (reason: unknown) => void): void {
  const t = target;
  target = nobody;
  t.resolve = resolve as Settler<never>['resolve'];
  t.reject = reject;
}

/**
 * Returns a new pending promise whose settle functions are written into `into`.
 *
 * @example
 * ```ts
 * const node = { resolve: noop, reject: noop };
 * const promise = promiseInto<number>(node);
 * node.resolve(1); // promise fulfils with 1
 * ```
 */
export function promiseInto<T>(into: Settler<T>): Promise<T> {
  target = into;
  return new Promise<T>(capture);
}

/** Does nothing; the placeholder settle function before `promiseInto` fills it in. */
export function noop(): void {
  /* nothing */
}
