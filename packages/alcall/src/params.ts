import { checkFunction, checkNumber } from '@lf/scope/internal';
import { runAlcall } from './alcall.js';
import { runBcall, type BCallOptions } from './bcall.js';
import { readALCallOptions, toPlan, type ALCallOptions, type CallContext, type Snapshot } from './options.js';
import type { CallFn } from './pipeline.js';

type AnyFn = (item: never, ctx: CallContext) => unknown;

/** Options that hold functions or live objects: kept for `run`, left out of `toJSON`. */
const NOT_JSON = new Set(['onProgress', 'shouldRetry', 'onRetry', 'retryAfter', 'random', 'signal', 'limiter', 'rateLimiter', 'cost']);

/** Options whose default is `Infinity` ("none"): JSON has no Infinity, so that value is left out, never written as `null`. */
const INFINITE_BY_DEFAULT = new Set(['maxConcurrent', 'retryTimeout', 'maxDelay', 'maxRetryTime']);

/** The options that were given and JSON can carry (functions and live objects left out). */
function describe(options: Snapshot): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(options)) {
    const value = options[key];
    if (NOT_JSON.has(key) || (value === Infinity && INFINITE_BY_DEFAULT.has(key))) continue;
    out[key] = value;
  }
  return out;
}

/** Reads a Params constructor's options once: the function apart, the rest validated like the call's. */
function readParams(fnName: string, options: unknown, extra: readonly string[]): { fn: AnyFn | undefined; rest: Snapshot } {
  if (options === undefined || options === null || typeof options !== 'object') {
    throw new TypeError(`${fnName}: options must be an object (got ${options === null ? 'null' : typeof options})`);
  }
  const { fn, ...rest } = readALCallOptions(fnName, options, ['fn', ...extra]);
  checkFunction(fn, 'fn', true);
  return { fn: fn as AnyFn | undefined, rest: Object.freeze(rest) };
}

/** Reads `with()` overrides once; a present `fn` key (even `undefined`) replaces the stored function. */
function readWith(
  fnName: string,
  overrides: unknown,
  extra: readonly string[],
  stored: AnyFn | undefined,
): { fn: AnyFn | undefined; rest: Snapshot } {
  const snapshot = readALCallOptions(fnName, overrides, ['fn', ...extra]);
  const { fn, ...rest } = snapshot;
  return { fn: 'fn' in snapshot ? (fn as AnyFn | undefined) : stored, rest };
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
 * const a = await params.run([1, 2, 3], async (x: number) => x * 2); // [2, 4, 6]
 * const b = await params.run([10, 20], async (x: number) => x + 1, { maxConcurrent: 1 }); // [11, 21]
 * ```
 * @category Calls
 */
export class ALCallParams {
  /** The stored options (frozen): a snapshot read once from what the constructor got. */
  readonly options: Readonly<ALCallOptions>;
  /** The stored function, used when `run` gets none. */
  readonly fn: AnyFn | undefined;

  /** @throws TypeError/RangeError like `alcall`, naming the option (an unknown name included). */
  constructor(options: ALCallOptions & { fn?: AnyFn | undefined }) {
    const { fn, rest } = readParams('ALCallParams', options, []);
    toPlan('ALCallParams', rest);
    this.fn = fn;
    this.options = rest;
    Object.freeze(this);
  }

  /**
   * Runs `alcall(input, fn ?? this.fn, { ...this.options, ...overrides })`.
   * Rejects with a TypeError naming `fn` when there is no function at all.
   */
  run(input: unknown, fn?: AnyFn, overrides?: Partial<ALCallOptions>): Promise<unknown[]> {
    try {
      const extra = readALCallOptions('ALCallParams.run', overrides);
      // With no function anywhere, alcall's own check rejects with a TypeError naming fn.
      return runAlcall('ALCallParams.run', input, (fn ?? this.fn) as CallFn, { ...this.options, ...extra });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** A new `ALCallParams` with `overrides` applied (validated); this one is unchanged. `fn: undefined` clears the function. */
  with(overrides: Partial<ALCallOptions> & { fn?: AnyFn | undefined }): ALCallParams {
    const { fn, rest } = readWith('ALCallParams.with', overrides, [], this.fn);
    return makeALCallParams({ ...(this.options as Snapshot), ...rest, fn });
  }

  /**
   * The options that were given, as JSON can carry them: functions, the
   * signal and the limiters are left out, and so is an `Infinity` that is the
   * option's default; an option with no value is absent, never `null`.
   * `new ALCallParams(JSON.parse(JSON.stringify(p)))` has the same options.
   */
  toJSON(): Record<string, unknown> {
    return describe(this.options);
  }
}

/**
 * A reusable, validated, frozen set of `bcall` options (lionfuncs'
 * `BCallParams`). `run(input, fn?, overrides?)` returns bcall's async generator.
 *
 * @example
 * ```ts
 * const params = new BCallParams({ batchSize: 5, maxConcurrent: 3, numRetries: 2 });
 * for await (const batch of params.run(Array.from({ length: 20 }, (_, i) => i), async (x: number) => x * 2)) {
 *   console.log(batch); // [0, 2, 4, 6, 8], then [10, ...], ...
 * }
 * ```
 * @category Calls
 */
export class BCallParams {
  /** The stored options, `batchSize` included (frozen). */
  readonly options: Readonly<BCallOptions>;
  /** The stored function, used when `run` gets none. */
  readonly fn: AnyFn | undefined;

  /** @throws TypeError/RangeError like `bcall`, naming the option (`batchSize` is required). */
  constructor(options: BCallOptions & { fn?: AnyFn | undefined }) {
    const { fn, rest } = readParams('BCallParams', options, ['batchSize']);
    if (rest.batchSize === undefined) throw new TypeError('batchSize is required (an integer >= 1)');
    checkNumber(rest.batchSize, 'batchSize', { min: 1, integer: true });
    toPlan('BCallParams', rest);
    this.fn = fn;
    this.options = rest as Readonly<BCallOptions>;
    Object.freeze(this);
  }

  /**
   * Runs `bcall(input, fn ?? this.fn, { ...this.options, ...overrides })`.
   * The generator rejects with a TypeError naming `fn` on its first step when there is no function at all.
   */
  run(input: unknown, fn?: AnyFn, overrides?: Partial<BCallOptions>): AsyncGenerator<unknown[], void, undefined> {
    const stored = this.options;
    return runBcall('BCallParams.run', input, (fn ?? this.fn) as CallFn, () => ({
      ...stored,
      ...readALCallOptions('BCallParams.run', overrides, ['batchSize']),
    }));
  }

  /** A new `BCallParams` with `overrides` applied (validated); this one is unchanged. `fn: undefined` clears the function. */
  with(overrides: Partial<BCallOptions> & { fn?: AnyFn | undefined }): BCallParams {
    const { fn, rest } = readWith('BCallParams.with', overrides, ['batchSize'], this.fn);
    return makeBCallParams({ ...(this.options as Snapshot), ...rest, fn });
  }

  /** Like {@link ALCallParams.toJSON}, `batchSize` included. */
  toJSON(): Record<string, unknown> {
    return describe(this.options);
  }
}

// Made outside the class bodies: a class that names itself inside its body is
// renamed `_ALCallParams` by the bundler (esbuild), and `name` must stay 'ALCallParams'.
function makeALCallParams(options: Snapshot): ALCallParams {
  return new ALCallParams(options);
}

function makeBCallParams(options: Snapshot): BCallParams {
  return new BCallParams(options as unknown as BCallOptions);
}
