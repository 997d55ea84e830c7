import { checkBoolean, checkFunction, checkNumber, checkOptions } from '@lf/scope/internal';
import type { RetryOptions } from '@lf/retry';
import { validateRetryOptions } from '@lf/retry/internal';

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

/** What `onProgress` receives after each item settles. */
export interface Progress {
  /** Items that produced a value (including a `retryDefault`). */
  readonly completed: number;
  /** Items that failed. */
  readonly failed: number;
  /** Items in the input, or `undefined` for an iterable of unknown length. */
  readonly total: number | undefined;
}

/**
 * Options of {@link alcall} (and, with `batchSize`, of `bcall`). Every
 * duration is in milliseconds. The retry options are `@lf/retry`'s.
 *
 * @example
 * ```ts
 * const options: ALCallOptions = { maxConcurrent: 4, numRetries: 2, retryDelay: 100, throttlePeriod: 50 };
 * ```
 */
export interface ALCallOptions extends Omit<RetryOptions, 'signal'> {
  /** Prepare the input with `toList(input, { flatten: true, dropna: true, unique: uniqueInput, flattenTupleSet })`. Default false. */
  sanitizeInput?: boolean;
  /** Remove duplicate input items (structural equality). Only with `sanitizeInput`. Default false. */
  uniqueInput?: boolean;
  /** Wait this long once, before the first call. Default 0. */
  initialDelay?: number;
  /** Most calls running at once; each item's whole retry loop holds one slot. Integer >= 1 or `Infinity` (default). */
  maxConcurrent?: number;
  /** Minimum ms between the starts of consecutive items. Default: none. */
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
  /** Aborting it starts nothing new, aborts running calls, waits for them, then rejects with its reason. */
  signal?: AbortSignal;
}

/** Validated options with defaults filled in (internal). */
export interface Plan {
  readonly options: ALCallOptions;
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
  /** Whether any retry option changes what a plain call would do. */
  readonly usesRetry: boolean;
  readonly onProgress: ((progress: Progress) => void) | undefined;
  readonly signal: AbortSignal | undefined;
}

/**
 * The documented defaults of every option that has a value of its own
 * (what `ALCallParams.toJSON()` reports for an option that was not given).
 */
export const DEFAULTS = Object.freeze({
  sanitizeInput: false,
  uniqueInput: false,
  numRetries: 0,
  initialDelay: 0,
  retryDelay: 0,
  backoffFactor: 1,
  maxDelay: Infinity,
  jitter: 'none',
  retryTimeout: Infinity,
  retryTiming: false,
  maxConcurrent: Infinity,
  throttlePeriod: 0,
  flatten: false,
  dropna: false,
  uniqueOutput: false,
  flattenTupleSet: false,
  stopOnError: true,
});

const BOOLEANS = [
  'sanitizeInput',
  'uniqueInput',
  'flatten',
  'dropna',
  'uniqueOutput',
  'flattenTupleSet',
  'stopOnError',
] as const;

/**
 * Checks every `alcall` option before any work starts and fills in the
 * defaults. Throws TypeError (wrong type) or RangeError (out of range, or a
 * combination that cannot work: `uniqueOutput` without `flatten`,
 * `uniqueInput` without `sanitizeInput`), naming the option.
 *
 * @example
 * ```ts
 * validateALCallOptions({ maxConcurrent: 0 }); // RangeError: maxConcurrent must be >= 1 (got 0)
 * ```
 */
export function validateALCallOptions(options: unknown): Plan {
  checkOptions(options);
  const o: ALCallOptions = (options ?? {});
  validateRetryOptions(o);
  for (const name of BOOLEANS) checkBoolean(o[name], name);
  checkFunction(o.onProgress, 'onProgress', true);
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
  const retryTiming = o.retryTiming === true;
  return {
    options: o,
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
    retryTiming,
    usesRetry:
      (o.numRetries !== undefined && o.numRetries > 0) ||
      (o.retryTimeout !== undefined && o.retryTimeout !== Infinity) ||
      'retryDefault' in o ||
      retryTiming,
    onProgress: o.onProgress,
    signal: o.signal,
  };
}
