/**
 * The two well-known symbols of explicit resource management, declared here so
 * lf's published declarations compile for users whose `lib` lacks
 * `esnext.disposable` (e.g. `lib: ["es2022"]`) and who never write `using`.
 * Identical to the declarations in TypeScript's `lib.esnext.disposable.d.ts`
 * (and `@types/node`), with which they merge.
 */
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
    readonly asyncDispose: unique symbol;
  }
}

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
export const disposeSymbol: typeof Symbol.dispose = known.dispose ?? (Symbol.for('Symbol.dispose') as typeof Symbol.dispose);

/** See {@link disposeSymbol}. */
export const asyncDisposeSymbol: typeof Symbol.asyncDispose =
  known.asyncDispose ?? (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose);
