import { toList } from '@lf/list-ops';
import type { Plan } from './options.js';

/**
 * alcall's output post-processing: with `retryTiming`, the `[result, ms]`
 * pairs are kept as they are (only `dropna` applies, to the result); otherwise
 * `flatten`, `dropna` and `uniqueOutput` through `toList`. Under `settle` the
 * records are kept as they are (output shaping is a RangeError there).
 *
 * @example
 * ```ts
 * postProcess([[1, 2], [3]], plan); // [1, 2, 3] with flatten: true
 * ```
 */
export function postProcess(results: unknown[], plan: Plan): unknown[] {
  if (plan.retryTiming) {
    return plan.dropna ? results.filter((pair) => (pair as [unknown, number])[0] != null) : results;
  }
  if (!plan.flatten && !plan.dropna && !plan.uniqueOutput) return results;
  return toList(results, {
    flatten: plan.flatten,
    dropna: plan.dropna,
    unique: plan.uniqueOutput,
    flattenTupleSet: plan.flattenTupleSet,
  });
}
