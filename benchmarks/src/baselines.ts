/**
 * Baselines shared by the suites: the trivial async item function and the
 * hand-written worker pool, the floor every concurrent map is measured against.
 */

/**
 * The trivial async item function: no real work, so the suite measures the machinery.
 * Every contender calls this same function (alcall's `fn(item, ctx)` included: the
 * context is an extra argument it ignores, as the pool's index is), so none pays a
 * wrapper frame the others do not.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- no real work, on purpose
export async function trivial(x: number): Promise<number> {
  return x + 1;
}

/**
 * The floor: `concurrency` workers pulling indices from an array, awaiting
 * `fn`, writing `results[i]`. No validation, no cancellation, no error policy.
 */
export async function pool<T, R>(items: readonly T[], fn: (item: T, index: number) => PromiseLike<R>, concurrency: number): Promise<R[]> {
  const n = items.length;
  const results = new Array<R>(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  const workers: Promise<void>[] = [];
  for (let k = 0; k < Math.min(concurrency, n); k++) workers.push(worker());
  await Promise.all(workers);
  return results;
}

/** The same pool reading an iterator lazily (each worker pulls the next item when free). */
export async function iteratorPool<T, R>(
  items: Iterable<T>,
  fn: (item: T, index: number) => PromiseLike<R>,
  concurrency: number,
): Promise<R[]> {
  const iterator = items[Symbol.iterator]();
  const results: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const step = iterator.next();
      if (step.done === true) return;
      const i = next++;
      results[i] = await fn(step.value, i);
    }
  };
  const workers: Promise<void>[] = [];
  for (let k = 0; k < concurrency; k++) workers.push(worker());
  await Promise.all(workers);
  return results;
}
