import { checkFunction, checkNumber, checkOptions } from '@lf/scope/internal';
import { runAlcall } from './alcall.js';
import { bcall, type BCallOptions } from './bcall.js';
import { DEFAULTS, validateALCallOptions, type ALCallOptions, type CallContext } from './options.js';

type AnyFn = (item: never, ctx: CallContext) => unknown;
type ItemFn = (item: unknown, ctx: CallContext) => unknown;

/** Options that hold functions or live objects: kept for `run`, left out of `toJSON`. */
const NOT_JSON = new Set(['fn', 'onProgress', 'shouldRetry', 'onRetry', 'random', 'signal']);

/** Options whose default means "none": `toJSON` reports them as `null` (Python's `None`), since JSON has no Infinity. */
const NONE_BY_DEFAULT = new Set(['maxConcurrent', 'retryTimeout', 'throttlePeriod', 'maxDelay']);

/** Every option with its effective value, functions left out; JSON-safe. */
function describe(options: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...DEFAULTS, ...extra };
  for (const [key, value] of Object.entries(options)) {
    if (NOT_JSON.has(key) || (value === undefined && key !== 'retryDefault')) continue;
    out[key] = value;
  }
  for (const key of NONE_BY_DEFAULT) {
    const value = out[key];
    if (value === Infinity || (key === 'throttlePeriod' && value === 0)) out[key] = null;
  }
  return out;
}

/**
 * A reusable, validated, frozen set of `alcall` options (lionfuncs'
 * `ALCallParams`): configure once, run with many inputs.
 * `run(input, fn?, overrides?)` is Python's `__call__`; Python's `**kwargs`
 * for `func` become a closure.
 *
 * @example
 * ```ts
 * const params = new ALCallParams({ maxConcurrent: 3, numRetries: 2, retryDelay: 100, backoffFactor: 2 });
 * const a = await params.run([1, 2, 3], async (x) => x * 2); // [2, 4, 6]
 * const b = await params.run([10, 20], async (x) => x + 1, { maxConcurrent: 1 }); // [11, 21]
 * ```
 */
export class ALCallParams {
  /** The stored options (frozen). */
  readonly options: Readonly<ALCallOptions>;
  /** The stored function, used when `run` gets none. */
  readonly fn: AnyFn | undefined;

  /** @throws TypeError/RangeError like `alcall`, naming the option. */
  constructor(options: ALCallOptions & { fn?: AnyFn }) {
    checkOptions(options);
    const { fn, ...rest } = options as (ALCallOptions & { fn?: AnyFn }) | undefined ?? {};
    checkFunction(fn, 'fn', true);
    validateALCallOptions(rest);
    this.fn = fn;
    this.options = Object.freeze(rest);
    Object.freeze(this);
  }

  /**
   * Runs `alcall(input, fn ?? this.fn, { ...this.options, ...overrides })`.
   * Rejects with a TypeError naming `fn` when there is no function at all.
   */
  run(input: unknown, fn?: AnyFn, overrides?: Partial<ALCallOptions>): Promise<unknown[]> {
    // With no function anywhere, alcall's own check rejects with a TypeError naming fn.
    return runAlcall(input, (fn ?? this.fn) as ItemFn, { ...this.options, ...overrides }, 0, undefined);
  }

  /** A new `ALCallParams` with `overrides` applied (validated); this one is unchanged. */
  with(overrides: Partial<ALCallOptions> & { fn?: AnyFn }): ALCallParams {
    return new ALCallParams({ ...this.options, fn: this.fn, ...overrides });
  }

  /** Every option with its effective value (no functions, no signal); "none" is `null`. */
  toJSON(): Record<string, unknown> {
    return describe(this.options, {});
  }
}

/**
 * A reusable, validated, frozen set of `bcall` options (lionfuncs'
 * `BCallParams`). `run(input, fn?, overrides?)` returns bcall's async generator.
 *
 * @example
 * ```ts
 * const params = new BCallParams({ batchSize: 5, maxConcurrent: 3, numRetries: 2 });
 * for await (const batch of params.run(Array.from({ length: 20 }, (_, i) => i), async (x) => x * 2)) {
 *   console.log(batch); // [0, 2, 4, 6, 8], then [10, ...], ...
 * }
 * ```
 */
export class BCallParams {
  /** The stored options, `batchSize` included (frozen). */
  readonly options: Readonly<BCallOptions>;
  /** The stored function, used when `run` gets none. */
  readonly fn: AnyFn | undefined;

  /** @throws TypeError/RangeError like `bcall`, naming the option (`batchSize` is required). */
  constructor(options: BCallOptions & { fn?: AnyFn }) {
    checkOptions(options);
    const { fn, ...rest } = options as (BCallOptions & { fn?: AnyFn }) | undefined ?? ({} as BCallOptions & { fn?: AnyFn });
    checkFunction(fn, 'fn', true);
    const { batchSize, ...alcallOptions } = rest;
    if ((batchSize as number | undefined) === undefined) throw new TypeError('batchSize is required (an integer >= 1)');
    checkNumber(batchSize, 'batchSize', { min: 1, integer: true });
    validateALCallOptions(alcallOptions);
    this.fn = fn;
    this.options = Object.freeze(rest);
    Object.freeze(this);
  }

  /**
   * Runs `bcall(input, fn ?? this.fn, { ...this.options, ...overrides })`.
   * The generator rejects with a TypeError naming `fn` on its first step when there is no function at all.
   */
  run(input: unknown, fn?: AnyFn, overrides?: Partial<BCallOptions>): AsyncGenerator<unknown[], void, undefined> {
    // With no function anywhere, bcall's own check rejects its first step with a TypeError naming fn.
    return bcall(input, (fn ?? this.fn) as ItemFn, { ...this.options, ...overrides });
  }

  /** A new `BCallParams` with `overrides` applied (validated); this one is unchanged. */
  with(overrides: Partial<BCallOptions> & { fn?: AnyFn }): BCallParams {
    const fn = overrides.fn ?? this.fn;
    return new BCallParams({ ...this.options, ...overrides, fn });
  }

  /** Every option with its effective value, `batchSize` included (no functions, no signal); "none" is `null`. */
  toJSON(): Record<string, unknown> {
    return describe(this.options, {});
  }
}
