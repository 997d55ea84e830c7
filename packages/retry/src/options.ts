import { checkBoolean, checkFunction, checkNumber } from '@lf/scope/internal';
import type { NumberRule } from '@lf/scope/internal';

/**
 * How the wait before each retry is randomised (see the README for the formulas):
 * - `'none'`: exactly the exponential delay, capped by `maxDelay`;
 * - `'full'`: `random(0, d)`;
 * - `'equal'`: `d / 2 + random(0, d / 2)`;
 * - `'decorrelated'`: `min(maxDelay, random(retryDelay, previous * 3 * backoffFactor))`.
 *
 * @example
 * ```ts
 * // Many clients retrying one server at once: 'full' spreads their retries the most.
 * function policy(jitter: Jitter): RetryOptions {
 *   return { numRetries: 5, retryDelay: 100, backoffFactor: 2, maxDelay: 5000, jitter };
 * }
 * await retry(callApi, policy('full'));
 * ```
 *
 * @category Calls
 */
export type Jitter = 'none' | 'full' | 'equal' | 'decorrelated';

/**
 * What `retry` hands to `fn` on every attempt.
 *
 * @example
 * ```ts
 * await retry(({ attempt, signal }) => {
 *   console.log(`attempt ${attempt}`); // 1, 2, 3, ...
 *   return fetch(url, { signal });
 * }, { numRetries: 2 });
 * ```
 *
 * @category Calls
 */
export interface RetryContext {
  /** 1 for the first call, 2 for the first retry, and so on. */
  readonly attempt: number;
  /**
   * Aborts when the attempt times out (`retryTimeout`, reason: a `TimeoutError`)
   * or when the caller's `signal` aborts (its reason). A signal that never
   * aborts when neither option is set.
   */
  readonly signal: AbortSignal;
}

/**
 * Options of {@link retry} and {@link withRetry}. All durations are milliseconds.
 *
 * @example
 * ```ts
 * // One policy for every call to a flaky service; each call adds its own signal.
 * const flaky = { numRetries: 3, retryDelay: 200, backoffFactor: 2, jitter: 'equal' } satisfies RetryOptions;
 * await retry(({ signal }) => fetch(url, { signal }), { ...flaky, signal: request.signal });
 * ```
 *
 * @category Calls
 */
export interface RetryOptions {
  /** Retries after the first attempt: attempts = `numRetries + 1`. Integer >= 0 or `Infinity`. Default 0. */
  numRetries?: number;
  /** Wait before the first retry, in ms (finite, >= 0). Default 0. */
  retryDelay?: number;
  /** The wait is multiplied by this after each retry (finite, >= 0). Default 1. */
  backoffFactor?: number;
  /** Upper bound of every wait, in ms (>= 0, `Infinity` allowed). Default `Infinity`. */
  maxDelay?: number;
  /** Randomisation of the waits. Default `'none'`. */
  jitter?: Jitter;
  /** Source of randomness for `jitter`, returning a number in [0, 1). Default `Math.random`. */
  random?: () => number;
  /**
   * Time limit of each attempt in ms (> 0, `Infinity` = none). When it passes,
   * the attempt's `signal` aborts with a `TimeoutError`; once the attempt has
   * settled it counts as failed with that error (a failed attempt like any
   * other). Retry waits for the attempt: an attempt that ignores its signal
   * delays the next one. Default: none.
   */
  retryTimeout?: number;
  /**
   * When this key is PRESENT (even with the value `undefined` or `null`), its
   * value is returned instead of throwing once every attempt has failed.
   */
  retryDefault?: unknown;
  /** Resolve `[value, elapsedMs]`; elapsed covers every attempt and wait. Default false. */
  retryTiming?: boolean;
  /**
   * Asked after a failure whose outcome it can change (a retry remains, or
   * `retryDefault` is set). A falsy answer stops at once and rejects with that
   * error, bypassing `retryDefault`. May be async.
   */
  shouldRetry?: (error: unknown, attempt: number) => boolean | PromiseLike<boolean>;
  /** Called before each wait with the error, the attempt that failed and the wait in ms. Awaited when it returns a promise. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void | PromiseLike<void>;
  /**
   * A server's hint for the wait after a failure (HTTP 429/503 `Retry-After`),
   * in ms: the wait before the next attempt is `max(backoff delay, hint)`, and
   * the hint is NOT capped by `maxDelay`. `undefined` = no hint; a value that
   * is not a finite number >= 0 (NaN, negative, `Infinity`, a string) is
   * ignored, so an unparsable header never breaks the loop.
   */
  retryAfter?: (error: unknown, attempt: number) => number | undefined;
  /**
   * A budget in ms from the first attempt's start (>= 0, `Infinity` = none):
   * no attempt starts after it, and a wait that would end after it is not
   * made; the last error is thrown instead (or `retryDefault` resolved).
   * Running attempts are not cut short (use `retryTimeout` or `signal`).
   */
  maxRetryTime?: number;
  /**
   * Aborting it is never retried: the attempt's `signal` aborts, and once the
   * attempt has settled the call rejects with `signal.reason` (at once during
   * a wait or a callback).
   */
  signal?: AbortSignal;
}

/**
 * Every option name of {@link RetryOptions} except `signal`: the names a
 * caller that forwards retry options (alcall) picks out of its own options.
 */
export const RETRY_OPTION_NAMES: readonly (keyof RetryOptions)[] = /* @__PURE__ */ Object.freeze([
  'numRetries',
  'retryDelay',
  'backoffFactor',
  'maxDelay',
  'jitter',
  'random',
  'retryTimeout',
  'retryDefault',
  'retryTiming',
  'shouldRetry',
  'onRetry',
  'retryAfter',
  'maxRetryTime',
] as const);

/** Every name `retry` and `withRetry` accept. */
export const RETRY_OPTIONS_WITH_SIGNAL: readonly (keyof RetryOptions)[] = /* @__PURE__ */ Object.freeze([...RETRY_OPTION_NAMES, 'signal']);

/** Validated, defaulted options (internal): what runs. */
export interface RetryPlan {
  readonly retries: number;
  readonly delay: number;
  readonly factor: number;
  readonly maxDelay: number;
  readonly jitter: Jitter;
  readonly random: () => number;
  readonly timeout: number;
  readonly hasDefault: boolean;
  readonly fallback: unknown;
  readonly timing: boolean;
  readonly shouldRetry: RetryOptions['shouldRetry'];
  readonly onRetry: RetryOptions['onRetry'];
  readonly retryAfter: RetryOptions['retryAfter'];
  readonly maxRetryTime: number;
}

const JITTERS: readonly string[] = ['none', 'full', 'equal', 'decorrelated'];

/** The plan of no options: made once, by the same code as every other (shared, so `retry(fn)` allocates none). */
let defaultPlan: RetryPlan | undefined;

/** Whether `plan` is the shared plan of no options (what `toPlan` returns for `{}`). */
export const isDefaultPlan = (plan: RetryPlan): boolean => plan === defaultPlan;

/**
 * Validates a snapshot of retry options (as `readOptions` makes it: only
 * known names, `signal` excluded) and fills in the defaults. Messages start
 * with `fnName` and name the option: `retry: numRetries must be >= 0 (got -1)`.
 */
export function toPlan(fnName: string, o: Readonly<Record<string, unknown>>): RetryPlan {
  // perf: no options (the common case) returns the shared plan without allocating.
  for (const _ in o) return makePlan(fnName, o);
  return (defaultPlan ??= makePlan(fnName, o));
}

function makePlan(fnName: string, o: Readonly<Record<string, unknown>>): RetryPlan {
  const name = (option: string): string => `${fnName}: ${option}`;
  const jitter: unknown = o.jitter;
  if (jitter !== undefined && !(typeof jitter === 'string' && JITTERS.includes(jitter))) {
    const text = typeof jitter === 'string';
    throw new (text ? RangeError : TypeError)(
      `${name('jitter')} must be one of ${JITTERS.join(', ')} (got ${text ? `'${jitter}'` : jitter === null ? 'null' : typeof jitter})`,
    );
  }
  for (const option of ['random', 'shouldRetry', 'onRetry', 'retryAfter']) checkFunction(o[option], name(option), true);
  checkBoolean(o.retryTiming, name('retryTiming'));
  /** A number option: its default when unset, else checked against `rule`. */
  const num = (option: string, unset: number, rule: NumberRule): number =>
    o[option] === undefined ? unset : checkNumber(o[option], name(option), rule);
  const hasDefault = 'retryDefault' in o;
  // Checked in this order (the first bad option is the one reported): property order.
  return Object.freeze({
    retries: num('numRetries', 0, { min: 0, integer: true, allowInfinity: true }),
    delay: num('retryDelay', 0, { min: 0 }),
    factor: num('backoffFactor', 1, { min: 0 }),
    maxDelay: num('maxDelay', Infinity, { min: 0, allowInfinity: true }),
    jitter: (jitter ?? 'none') as Jitter,
    random: (o.random ?? Math.random) as () => number,
    timeout: num('retryTimeout', Infinity, { min: 0, exclusiveMin: true, allowInfinity: true }),
    hasDefault,
    fallback: hasDefault ? o.retryDefault : undefined,
    timing: o.retryTiming === true,
    shouldRetry: o.shouldRetry as RetryOptions['shouldRetry'],
    onRetry: o.onRetry as RetryOptions['onRetry'],
    retryAfter: o.retryAfter as RetryOptions['retryAfter'],
    maxRetryTime: num('maxRetryTime', Infinity, { min: 0, allowInfinity: true }),
  });
}
