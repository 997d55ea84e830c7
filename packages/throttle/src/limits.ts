import { checkNumber, mistyped, readOptions, suggestName } from '@lf/scope/internal';
import { checkCostValue, parseCostWith, parseUnnamedCost } from './cost.js';
import type { CostRecordReader } from './cost.js';

/**
 * What one call counts against a limiter: a number is the cost for every
 * limit; a record gives a cost per named limit (a limit left out costs 1, a
 * name that is not a limit is a TypeError). Default 1; 0 is allowed.
 *
 * @example
 * ```ts
 * await api.acquire({ cost: 5 }); // a batch of 5 items counts as 5 calls
 * await llm.acquire({ cost: { tokens: 1200 } }); // 1200 tokens, and 1 request (left out: costs 1)
 * ```
 *
 * @category Limits
 */
export type Cost = number | Readonly<Record<string, number>>;

/**
 * One rate limit: the costs released in any window of `interval` ms sum to
 * at most `limit`. Both are finite and > 0.
 *
 * @example
 * ```ts
 * // The limits a server documents, written once for every limiter of it.
 * const perMinute = (limit: number): RateLimit => ({ limit, interval: 60_000 });
 * const llm = new RateLimiter({ limits: { requests: perMinute(500), tokens: perMinute(200_000) } });
 * ```
 *
 * @category Limits
 */
export interface RateLimit {
  /** Most cost released in any window of `interval` ms (finite, > 0; may be fractional). */
  limit: number;
  /** Length of the sliding window in ms (finite, > 0). */
  interval: number;
}

/**
 * What `acquire` resolves: the release, on the limiter's clock, and a way to
 * correct what it cost once the real cost is known.
 *
 * @example
 * ```ts
 * const grant = await limiter.acquire({ cost: { tokens: 1000 } }); // an estimate
 * const reply = await chat(prompt);
 * grant.settle({ tokens: reply.usage.total_tokens }); // what it really cost
 * ```
 *
 * @category Limits
 */
export interface Grant {
  /** When it was released, on the limiter's clock (ms; `performance.now()` for `RateLimiter`). */
  readonly at: number;
  /**
   * Replaces this grant's recorded cost at its original time `at` (a refund or
   * an extra charge); admissions after this call count the new cost. A
   * settled cost may exceed a limit (it is what was spent): the window then
   * holds later calls until it has left.
   */
  settle(cost: Cost): void;
}

/** One parsed limit of a limiter: its name (`undefined` for the single `{ limit, interval }` form). */
export interface NamedLimit {
  readonly name: string | undefined;
  readonly limit: number;
  readonly interval: number;
}

/**
 * The limits of a limiter, parsed and validated, in a stable order: sorted by
 * name (so two processes that list the same limits in another order agree),
 * or the one unnamed limit of the `{ limit, interval }` form. Frozen.
 */
export type NamedLimits = readonly NamedLimit[];

const LIMIT_NAMES = ['limit', 'interval', 'limits'] as const;
const RECORD_NAMES = ['limit', 'interval'] as const;

function parseRateLimit(fnName: string, record: unknown, label: string): { limit: number; interval: number } {
  const o = readOptions(fnName, record, RECORD_NAMES, [], label);
  const prefix = label === 'options' ? '' : `${label}.`;
  const limit = checkNumber(o.limit, `${prefix}limit`, { min: 0, exclusiveMin: true });
  const interval = checkNumber(o.interval, `${prefix}interval`, { min: 0, exclusiveMin: true });
  return { limit, interval };
}

/**
 * Reads and validates a rate limiter's limits, once: either `{ limit,
 * interval }` (one unnamed limit) or `{ limits: { name: { limit, interval },
 * ... } }` (one or more named limits). Unknown option names (in the options
 * and in every limit record) are TypeErrors with a suggestion, through
 * `readOptions`; `extraNames` are the options the caller reads itself (e.g.
 * `redis`, `key`): they are allowed and ignored here.
 *
 * @param fnName Names the caller in error messages (`'RateLimiter'`, `'RedisRateLimiter'`).
 * @throws TypeError when `opts` is not an object, a value is not a number, a
 *   name is unknown, or both forms (or neither) are given; RangeError when a
 *   `limit` or `interval` is not finite and > 0, or `limits` is empty.
 *
 * @example
 * ```ts
 * parseLimits('RateLimiter', { limits: { tokens: { limit: 1e5, interval: 60_000 }, requests: { limit: 500, interval: 60_000 } } });
 * // [{ name: 'requests', limit: 500, interval: 60000 }, { name: 'tokens', limit: 100000, interval: 60000 }]
 * parseLimits('RateLimiter', { limit: 5, interval: 1000 }); // [{ name: undefined, limit: 5, interval: 1000 }]
 * ```
 */
export function parseLimits(fnName: string, opts: unknown, extraNames: readonly string[] = []): NamedLimits {
  if (opts === undefined) throw mistyped(`${fnName}: options`, 'an object', opts);
  const o = readOptions(fnName, opts, [...LIMIT_NAMES, ...extraNames]);
  if (o.limits === undefined) {
    if (o.limit === undefined && o.interval === undefined) {
      throw new TypeError(`${fnName}: give either limit and interval, or limits (got neither)`);
    }
    const { limit, interval } = parseRateLimit(fnName, { limit: o.limit, interval: o.interval }, 'options');
    return Object.freeze([Object.freeze({ name: undefined, limit, interval })]);
  }
  if (o.limit !== undefined || o.interval !== undefined) {
    throw new TypeError(`${fnName}: give either limit and interval, or limits (got both)`);
  }
  const limits = o.limits;
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) {
    throw mistyped(`${fnName}: limits`, 'an object of { limit, interval } records', limits);
  }
  const names = Object.keys(limits).sort();
  if (names.length === 0) throw new RangeError(`${fnName}: limits must name at least one limit (got {})`);
  return Object.freeze(
    names.map((name) => {
      const { limit, interval } = parseRateLimit(fnName, (limits as Record<string, unknown>)[name], `limits.${name}`);
      return Object.freeze({ name, limit, interval });
    }),
  );
}

/**
 * Validates a {@link Cost} against `limits` and returns one cost per limit,
 * in the order of `limits`. `undefined` costs 1 everywhere; a number is the
 * cost for every limit; in a record, a limit left out costs 1 and a name that
 * is not a limit is a TypeError (with a suggestion). Every cost is a finite
 * number >= 0. A cost above its limit could never be released: RangeError,
 * unless `allowAboveLimit` (what `Grant.settle` uses: a settled cost is what
 * was really spent).
 *
 * @param fnName Names the caller in error messages (`'RateLimiter.acquire'`).
 * @throws TypeError naming `cost` for a wrong type or an unknown name;
 *   RangeError naming `cost` for NaN, a negative, an infinite value, or (unless
 *   `allowAboveLimit`) a cost above its limit.
 *
 * @example
 * ```ts
 * const limits = parseLimits('RateLimiter', { limits: { requests: { limit: 500, interval: 60_000 }, tokens: { limit: 2e5, interval: 60_000 } } });
 * parseCost('RateLimiter.acquire', { tokens: 1200 }, limits); // [1, 1200]
 * parseCost('RateLimiter.acquire', undefined, limits); // [1, 1]
 * ```
 */
export function parseCost(fnName: string, cost: unknown, limits: NamedLimits, allowAboveLimit = false): number[] {
  return limits[0]?.name === undefined
    ? parseUnnamedCost(fnName, cost, limits, allowAboveLimit)
    : parseCostWith(fnName, cost, limits, allowAboveLimit, namedRecord);
}

/** Named limits: every name of the record is a limit (else a TypeError with a suggestion); a limit left out costs 1. */
const namedRecord: CostRecordReader = (fnName, record, names, limits, allowAboveLimit) => {
  const known = limits.map((limit) => limit.name ?? '');
  for (const name of names) {
    if (!known.includes(name)) {
      const hint = suggestName(name, known);
      throw new TypeError(`${fnName}: cost names an unknown limit '${name}'${hint === undefined ? '' : ` (did you mean '${hint}'?)`}`);
    }
  }
  return limits.map((limit) => {
    const name = limit.name ?? '';
    const value = names.includes(name) ? record[name] : undefined;
    return value === undefined ? 1 : checkCostValue(value, `cost.${name}`, limit, allowAboveLimit);
  });
};
