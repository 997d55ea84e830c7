/** `Symbol`, read without assuming the explicit-resource-management symbols exist. */
const known = Symbol as unknown as {
  dispose?: typeof Symbol.dispose;
  asyncDispose?: typeof Symbol.asyncDispose;
};

/**
 * The well-known symbols of explicit resource management, with the same
 * fallback bundlers and polyfills use (`Symbol.for('Symbol.dispose')`) on
 * runtimes that do not define them yet (older browsers). Typed as the
 * well-known symbols so `using` / `await using` type-check.
 * Internal: not exported from the package.
 */
export const disposeSymbol: typeof Symbol.dispose =
  known.dispose ?? (Symbol.for('Symbol.dispose') as typeof Symbol.dispose);

/** See {@link disposeSymbol}. */
export const asyncDisposeSymbol: typeof Symbol.asyncDispose =
  known.asyncDispose ?? (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose);

/**
 * True when `error` is an object whose `name` is one of `names` (works for
 * `DOMException`s and errors from other realms, where `instanceof` fails).
 */
export function hasErrorName(error: unknown, names: readonly string[]): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' && names.includes(name);
}
