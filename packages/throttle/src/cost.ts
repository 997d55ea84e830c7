import { checkNumber, mistyped } from '@lf/scope/internal';
import type { NamedLimit, NamedLimits } from './limits.js';

/**
 * Validates a {@link Cost} against a limiter's parsed limits and returns one
 * cost per limit, in their order (see `parseCost`). `allowAboveLimit` is what
 * `Grant.settle` uses: a settled cost is what was really spent.
 *
 * @example
 * ```ts
 * const costs: CostParser = parseUnnamedCost;
 * costs('RateLimiter.acquire', 2, [{ name: undefined, limit: 5, interval: 1000 }]); // [2]
 * ```
 */
export type CostParser = (fnName: string, cost: unknown, limits: NamedLimits, allowAboveLimit?: boolean) => number[];

/** One cost value for `limit`: a finite number >= 0, and (unless `allowAboveLimit`) at most the limit. */
export function checkCostValue(value: unknown, label: string, limit: NamedLimit, allowAboveLimit: boolean): number {
  const cost = checkNumber(value, label, { min: 0 });
  if (!allowAboveLimit && cost > limit.limit) {
    throw new RangeError(
      `${label} must be <= ${limit.name === undefined ? 'limit' : `limits.${limit.name}.limit`} (${limit.limit}): it could never be released (got ${cost})`,
    );
  }
  return cost;
}

/**
 * Reads a cost record of a limiter's limits, the record's own names in `names`
 * (`Object.keys`): one cost per limit, or a TypeError for a name that is not a limit.
 */
export type CostRecordReader = (
  fnName: string,
  record: Readonly<Record<string, unknown>>,
  names: string[],
  limits: NamedLimits,
  allowAboveLimit: boolean,
) => number[];

/**
 * The part of every {@link CostParser} that does not depend on names: `undefined`
 * costs 1 everywhere, a number is the cost for every limit, anything else but a
 * record is a TypeError; a record goes to `readRecord`.
 *
 * @example
 * ```ts
 * const parse: CostParser = (fnName, cost, limits, allow = false) => parseCostWith(fnName, cost, limits, allow, unnamedRecord);
 * ```
 */
export function parseCostWith(
  fnName: string,
  cost: unknown,
  limits: NamedLimits,
  allowAboveLimit: boolean,
  readRecord: CostRecordReader,
): number[] {
  if (cost === undefined) return limits.map(() => 1);
  if (typeof cost === 'number') return limits.map((limit) => checkCostValue(cost, 'cost', limit, allowAboveLimit));
  if (typeof cost !== 'object' || cost === null || Array.isArray(cost)) {
    throw mistyped(`${fnName}: cost`, 'a number or a record of costs by limit name', cost);
  }
  return readRecord(fnName, cost as Readonly<Record<string, unknown>>, Object.keys(cost), limits, allowAboveLimit);
}

/** A limiter with one unnamed limit: a record that names anything is a TypeError (pass a number); `{}` costs 1. */
const unnamedRecord: CostRecordReader = (fnName, _record, names) => {
  if (names.length > 0) {
    throw new TypeError(`${fnName}: cost names a limit '${names[0]}', but this limiter has one unnamed limit: pass a number`);
  }
  return [1];
};

/**
 * {@link CostParser} of a limiter with ONE unnamed limit (the `{ limit,
 * interval }` form, `Throttle`): a number, `undefined` (1), or a record that
 * names nothing (1); a record naming any limit is a TypeError (there are no
 * names: pass a number). The same results and messages as `parseCost` on such
 * a limiter, without its name matching.
 *
 * @example
 * ```ts
 * parseUnnamedCost('RateLimiter.acquire', 2, [{ name: undefined, limit: 5, interval: 1000 }]); // [2]
 * parseUnnamedCost('RateLimiter.acquire', { tokens: 2 }, limits); // TypeError: ... one unnamed limit: pass a number
 * ```
 */
export const parseUnnamedCost: CostParser = (fnName, cost, limits, allowAboveLimit = false) =>
  parseCostWith(fnName, cost, limits, allowAboveLimit, unnamedRecord);
