/**
 * The types `alcall`, `bcall` and `alcallIter` resolve to, computed from the
 * item type, `fn`'s result and the literal options.
 */

/** The value of option `K` in options type `O` (`undefined` when absent). */
type Flag<O, K extends string> = K extends keyof O ? O[K] : undefined;

/** One item's outcome under `settle: true`, like `Promise.allSettled`'s records. @category Calls */
export type SettledResult<V> = { status: 'fulfilled'; value: V } | { status: 'rejected'; reason: unknown };

/** The value one item resolves to: `fn`'s result, or `retryDefault` when present. */
type ItemResult<R, O> = 'retryDefault' extends keyof O ? Awaited<R> | O['retryDefault' & keyof O] : Awaited<R>;

/** One item's value before settling: `[result, elapsedMs]` with `retryTiming: true`. */
type ItemValue<R, O> =
  Flag<O, 'retryTiming'> extends true
    ? [ItemResult<R, O>, number]
    : [Flag<O, 'retryTiming'>] extends [false | undefined]
      ? ItemResult<R, O>
      : unknown;

/**
 * The element type of each result for options `O` (what `alcallIter` yields):
 * a settled record with `settle: true`, `[result, elapsedMs]` with
 * `retryTiming: true`, the result (without `null`/`undefined` under
 * `dropna: true`); `unknown` when the output is flattened or the options
 * are not literal enough to tell.
 *
 * @example
 * ```ts
 * type A = ALCallElement<Promise<number>, { settle: true }>; // SettledResult<number>
 * ```
 * @category Calls
 */
export type ALCallElement<R, O> =
  Flag<O, 'settle'> extends true
    ? SettledResult<ItemValue<R, O>>
    : [Flag<O, 'settle'>] extends [false | undefined]
      ? Flag<O, 'retryTiming'> extends true
        ? [ItemResult<R, O>, number]
        : [Flag<O, 'retryTiming'> | Flag<O, 'flatten'>] extends [false | undefined]
          ? Flag<O, 'dropna'> extends true
            ? NonNullable<ItemResult<R, O>>
            : ItemResult<R, O>
          : unknown
      : unknown;

/**
 * The type `alcall` resolves to for options `O`: an array of
 * {@link ALCallElement}s (`unknown[]` when the output is flattened or the
 * options are typed as the wide `ALCallOptions`).
 *
 * @example
 * ```ts
 * type A = ALCallResult<Promise<number>, { retryTiming: true }>; // [number, number][]
 * type B = ALCallResult<number, { flatten: true }>; // unknown[]
 * ```
 * @category Calls
 */
export type ALCallResult<R, O> = ALCallElement<R, O>[];

/** A Set is flattened only with `flattenTupleSet: true`. */
type FlatSet<O> = Flag<O, 'flattenTupleSet'> extends true ? true : false;

/**
 * The element type `toList(x, { flatten: true })` gives for `T`: nested arrays
 * and iterables unwrapped (strings and Maps never; Sets only with `S`).
 */
export type Flat<T, S extends boolean = false> = T extends string
  ? T
  : T extends ReadonlyMap<unknown, unknown>
    ? T
    : T extends ReadonlySet<infer U>
      ? S extends true
        ? Flat<U, S>
        : T
      : T extends Iterable<infer U>
        ? Flat<U, S>
        : T;

/** The item type `fn` receives for input items `T` and options `O`: flattened, without nulls, under `sanitizeInput: true`. */
export type InputItem<T, O> = Flag<O, 'sanitizeInput'> extends true ? NonNullable<Flat<T, FlatSet<O>>> : T;

/** bcall's item type: every batch is flattened (and nulls dropped) first. */
export type BatchItem<T, O> = NonNullable<Flat<T, FlatSet<O>>>;
