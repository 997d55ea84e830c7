/** The kinds of TC39 decorator contexts (anything else passed as a second argument is not a context). */
const contextKinds = new Set(['class', 'method', 'getter', 'setter', 'field', 'accessor']);

/**
 * The check every lf "higher-order function AND method decorator" makes when
 * it is applied: `fn` must be a function, and when `context` is a TC39
 * decorator context it must be a method's. Throws a TypeError naming the
 * factory (`maxConcurrent decorates methods only (got a field decorator)`).
 *
 * @example
 * ```ts
 * const apply = (fn: unknown, context?: unknown) => {
 *   checkDecoratorTarget('throttle', fn, context);
 *   return wrap(fn);
 * };
 * ```
 */
export function checkDecoratorTarget(factory: string, fn: unknown, context: unknown): asserts fn is (...args: never[]) => unknown {
  if (
    typeof context === 'object' &&
    context !== null &&
    typeof (context as { kind?: unknown }).kind === 'string' &&
    contextKinds.has((context as { kind: string }).kind) &&
    (context as { kind: string }).kind !== 'method'
  ) {
    throw new TypeError(`${factory} decorates methods only (got a ${(context as { kind: string }).kind} decorator)`);
  }
  if (typeof fn !== 'function') {
    throw new TypeError(`fn must be a function (got ${fn === null ? 'null' : typeof fn})`);
  }
}
