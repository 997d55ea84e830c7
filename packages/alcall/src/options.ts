import type { RetryOptions } from '@lf/retry';
import type { Cost } from '@lf/throttle';
import { checkBoolean, checkFunction, checkNumber, checkSignal, readOptions } from '@lf/scope/internal';
import { RETRY_OPTION_NAMES, prepareRetry, type PreparedRetry } from '@lf/retry/internal';

/**
 * What `alcall` hands to `fn` with each item.
 *
 * @example
 * ```ts
 * await alcall(urls, (url, { index, attempt, signal }) => {
 *   console.log(`#${index}, attempt ${attempt}`);
 *   return fetch(url, { signal });
 * });
 * ```
 * @category Calls
 */
export interface CallContext {
  /** Position of the item in the input (in the whole input for `bcall`). */
  readonly index: number;
  /** 1 for the first call of this item, 2 for its first retry, and so on. */
  readonly attempt: number;
  /**
   * Aborts when the call should stop: its `retryTimeout` passed (a
   * `TimeoutError`), another item failed (with `stopOnError`), or the caller's
   * `signal` aborted (its reason).
   */
  readonly signal: AbortSignal;
}

/** What `onProgress` receives after each item settles. @category Calls */
export interface Progress {
  /** Items that produced a value (including a `retryDefault`). */
  readonly completed: number;
  /** Items that failed. */
  readonly failed: number;
  /** Items in the input, or `undefined` for an iterable of unknown length. */
  readonly total: number | undefined;
}

/**
 * A shared concurrency limit, such as `@lf/limit`'s `Limiter` (or a Redis one):
 * `acquire` resolves a function that gives the slot back.
 * @category Calls
 */
export interface SharedLimiter {
  acquire(options: { signal?: AbortSignal }): Promise<() => void>;
}

/** A shared rate limit, such as `@lf/throttle`'s `RateLimiter` or `Throttle` (or a Redis one). @category Calls */
export interface SharedRateLimiter {
  acquire(options: { signal?: AbortSignal; cost?: Cost }): Promise<unknown>;
}

/**
 * Options of {@link alcall} (and, with `batchSize`, of `bcall`). Every
 * duration is in milliseconds. The retry options are `@lf/retry`'s. An
 * unknown name is a TypeError (`alcall: unknown option 'maxConcurency' (did
 * you mean 'maxConcurrent'?)`); the object is read once, when the call starts.
 *
 * @typeParam T - the item type (what `cost` receives)
 * @example
 * ```ts
 * const options: ALCallOptions = { maxConcurrent: 4, numRetries: 2, retryDelay: 100, throttlePeriod: 50 };
 * ```
 * @category Calls
 */
export interface ALCallOptions<T = unknown> extends Omit<RetryOptions, 'signal'> {
  /** Prepare the input with `toList(input, { flatten: true, dropna: true, unique: uniqueInput, flattenTupleSet })`. Default false. */
  sanitizeInput?: boolean;
  /** Remove duplicate input items (structural equality). Only with `sanitizeInput`. Default false. */
  uniqueInput?: boolean;
  /** Wait this long once, before the first call. Default 0. */
  initialDelay?: number;
  /** Most calls running at once; each item's whole retry loop holds one slot. Integer >= 1 or `Infinity` (default). */
  maxConcurrent?: number;
  /** Minimum ms between the starts of consecutive items (not of retries). Default: none. */
  throttlePeriod?: number;
  /** Flatten the results (nested arrays and iterables). Default false. */
  flatten?: boolean;
  /** Drop `null` and `undefined` results. Default false. */
  dropna?: boolean;
  /** Remove duplicate results (structural equality). Only with `flatten`. Default false. */
  uniqueOutput?: boolean;
  /** Let `flatten` (of input and output) flatten Sets too. Default false. */
  flattenTupleSet?: boolean;
  /**
   * `true` (default): the first failure starts nothing new, aborts running
   * calls, waits for them, then rejects with that error. `false`: every item
   * runs, then an `AggregateError` lists every failure in input order.
   */
  stopOnError?: boolean;
  /** Called after each item settles. */
  onProgress?: (progress: Progress) => void;
  /**
   * A concurrency limit shared with other calls (a `Limiter`): each item holds
   * one slot for its whole retry loop. Applies together with `maxConcurrent`.
   */
  limiter?: SharedLimiter;
  /**
   * A rate limit shared with other calls (a `RateLimiter`, a `Throttle`):
   * acquired before EVERY attempt, since a retry is a call too.
   */
  rateLimiter?: SharedRateLimiter;
  /** The cost handed to `rateLimiter` for an item's every attempt. Default: 1. */
  cost?(item: T, index: number): Cost;
  /**
   * Resolve one `{ status: 'fulfilled', value } | { status: 'rejected', reason }`
   * per item, in input order; item failures never reject the call (an abort
   * still does). Not with `flatten`, `dropna` or `uniqueOutput`. Default false.
   */
  settle?: boolean;
  /** Aborting it starts nothing new, aborts running calls, waits for them, then rejects with its reason. */
  signal?: AbortSignal;
}

/** Every option name `alcall` knows (the retry ones are `@lf/retry`'s). */
export const ALCALL_OPTION_NAMES: readonly string[] = Object.freeze([
  ...RETRY_OPTION_NAMES,
  'sanitizeInput',
  'uniqueInput',
  'initialDelay',
  'maxConcurrent',
  'throttlePeriod',
  'flatten',
  'dropna',
  'uniqueOutput',
  'flattenTupleSet',
  'stopOnError',
  'onProgress',
  'limiter',
  'rateLimiter',
  'cost',
  'settle',
  'signal',
] satisfies (keyof ALCallOptions)[]);

/** A read-once snapshot of options: a frozen plain object of the known names. */
export type Snapshot = Readonly<Record<string, unknown>>;

/** Validated options with defaults filled in (internal). */
export interface Plan {
  /** What was read (frozen): the options that run. */
  readonly snapshot: Snapshot;
  readonly sanitizeInput: boolean;
  readonly uniqueInput: boolean;
  readonly initialDelay: number;
  readonly maxConcurrent: number;
  readonly throttlePeriod: number;
  readonly flatten: boolean;
  readonly dropna: boolean;
  readonly uniqueOutput: boolean;
  readonly flattenTupleSet: boolean;
  readonly stopOnError: boolean;
  readonly retryTiming: boolean;
  readonly settle: boolean;
  /** The retry step, prepared once for every item. */
  readonly retry: PreparedRetry;
  readonly onProgress: ((progress: Progress) => void) | undefined;
  readonly limiter: SharedLimiter | undefined;
  readonly rateLimiter: SharedRateLimiter | undefined;
  readonly cost: ((item: unknown, index: number) => Cost) | undefined;
  readonly signal: AbortSignal | undefined;
}

const BOOLEANS = ['sanitizeInput', 'uniqueInput', 'flatten', 'dropna', 'uniqueOutput', 'flattenTupleSet', 'stopOnError', 'settle'] as const;

/**
 * Reads `options` once (own and inherited properties, getters called once)
 * into a frozen snapshot of alcall's option names plus `extra` ones. An
 * unknown name is a TypeError naming it, with a suggestion.
 *
 * @example
 * ```ts
 * readALCallOptions('bcall', { batchSize: 2, maxConcurency: 1 }, ['batchSize']);
 * // TypeError: bcall: unknown option 'maxConcurency' (did you mean 'maxConcurrent'?)
 * ```
 */
export function readALCallOptions(fnName: string, options: unknown, extra: readonly string[] = []): Snapshot {
  const known = extra.length === 0 ? ALCALL_OPTION_NAMES : [...ALCALL_OPTION_NAMES, ...extra];
  // `retryDefault` means something when present, even as `undefined`.
  return readOptions(fnName, options, known, KEEP_UNDEFINED);
}

const KEEP_UNDEFINED = ['retryDefault', 'fn'];

function checkAcquirer(value: unknown, name: string): void {
  if (value === undefined) return;
  if (
    value === null ||
    (typeof value !== 'object' && typeof value !== 'function') ||
    typeof (value as { acquire?: unknown }).acquire !== 'function'
  ) {
    throw new TypeError(`${name} must be an object with an acquire() method (got ${value === null ? 'null' : typeof value})`);
  }
}

/**
 * Checks every option of a snapshot before any work starts and fills in the
 * defaults. Throws TypeError (wrong type) or RangeError (out of range, or a
 * combination that cannot work: `uniqueOutput` without `flatten`,
 * `uniqueInput` without `sanitizeInput`, `settle` with output shaping),
 * naming the option. Names that are not alcall's (`batchSize`) are ignored.
 *
 * @example
 * ```ts
 * toPlan('alcall', readALCallOptions('alcall', { maxConcurrent: 0 })); // RangeError: maxConcurrent must be >= 1 (got 0)
 * ```
 */
export function toPlan(fnName: string, o: Snapshot): Plan {
  for (const name of BOOLEANS) checkBoolean(o[name], name);
  checkFunction(o.onProgress, 'onProgress', true);
  checkFunction(o.cost, 'cost', true);
  checkAcquirer(o.limiter, 'limiter');
  checkAcquirer(o.rateLimiter, 'rateLimiter');
  checkSignal(o.signal, 'signal');
  // Retry's own options, validated once for every item (retry owns its defaults and its no-op rule).
  const retry = prepareRetry(fnName, o);
  const initialDelay = o.initialDelay === undefined ? 0 : checkNumber(o.initialDelay, 'initialDelay', { min: 0 });
  const maxConcurrent =
    o.maxConcurrent === undefined
      ? Infinity
      : checkNumber(o.maxConcurrent, 'maxConcurrent', { min: 1, integer: true, allowInfinity: true });
  const throttlePeriod = o.throttlePeriod === undefined ? 0 : checkNumber(o.throttlePeriod, 'throttlePeriod', { min: 0 });
  if (o.uniqueOutput === true && o.flatten !== true) {
    throw new RangeError('uniqueOutput requires flatten: true (unique results are compared after flattening)');
  }
  if (o.uniqueInput === true && o.sanitizeInput !== true) {
    throw new RangeError('uniqueInput requires sanitizeInput: true');
  }
  const settle = o.settle === true;
  if (settle) {
    for (const name of ['flatten', 'dropna', 'uniqueOutput'] as const) {
      if (o[name] === true) throw new RangeError(`settle: true cannot be combined with ${name}: true (one record per item)`);
    }
  }
  return {
    snapshot: o,
    sanitizeInput: o.sanitizeInput === true,
    uniqueInput: o.uniqueInput === true,
    initialDelay,
    maxConcurrent,
    throttlePeriod,
    flatten: o.flatten === true,
    dropna: o.dropna === true,
    uniqueOutput: o.uniqueOutput === true,
    flattenTupleSet: o.flattenTupleSet === true,
    stopOnError: o.stopOnError !== false,
    retryTiming: o.retryTiming === true,
    settle,
    retry,
    onProgress: o.onProgress as Plan['onProgress'],
    limiter: o.limiter as SharedLimiter | undefined,
    rateLimiter: o.rateLimiter as SharedRateLimiter | undefined,
    cost: o.cost as Plan['cost'],
    signal: o.signal,
  };
}

/**
 * Reads and validates alcall's options in one step.
 *
 * @example
 * ```ts
 * const plan = readPlan('alcall', { maxConcurrent: 4 });
 * ```
 */
export function readPlan(fnName: string, options: unknown): Plan {
  return toPlan(fnName, readALCallOptions(fnName, options));
}
