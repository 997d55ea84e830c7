/**
 * @lf/list-ops: `unique` must stay O(n) expected time on structural values.
 * Measures 1e4 and 1e5 items (numbers with many duplicates; small plain
 * objects with many structural duplicates, distinct objects each) and checks
 * that the time per item at 1e5 is within ~2x of that at 1e4.
 */
import { unique } from '@lf/list-ops';
import { median, type Row, type Suite } from '../harness.js';

/** Deterministic pseudo-random integers (a 32-bit LCG), so every run measures the same data. */
function numbers(n: number, distinct: number): number[] {
  let seed = 12345;
  return Array.from({ length: n }, () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed % distinct;
  });
}

/** Small plain objects: fresh objects every item, about `distinct` structural values, keys in varying order. */
function objects(n: number, distinct: number): Record<string, unknown>[] {
  return numbers(n, distinct).map((k, i) =>
    i % 2 === 0 ? { id: k, name: `item-${k % 97}`, tags: [k % 3, k % 5] } : { tags: [k % 3, k % 5], name: `item-${k % 97}`, id: k },
  );
}

const suite: Suite = async ({ quick }) => {
  const small = quick ? 2_000 : 10_000;
  const large = quick ? 20_000 : 100_000;
  const rounds = quick ? 3 : 11;
  const rows: Row[] = [];
  const verdicts: string[] = [];

  const cases: { label: string; make: (n: number) => unknown[] }[] = [
    { label: 'numbers (n/10 distinct)', make: (n) => numbers(n, n / 10) },
    { label: 'plain objects (n/10 distinct)', make: (n) => objects(n, n / 10) },
  ];

  for (const { label, make } of cases) {
    // Warm the JIT on other data first, so neither size pays for compilation.
    const warm = make(small);
    for (let i = 0; i < 20; i++) unique(warm);
    const perItem: number[] = [];
    for (const n of [small, large]) {
      const items = make(n);
      let kept = 0;
      const ms = await median(() => {
        kept = unique(items).length;
        return Promise.resolve();
      }, rounds);
      perItem.push(ms / n);
      rows.push({ name: `unique, ${label}, n=${n}`, ms, note: `${((ms / n) * 1e6).toFixed(0)} ns/item, kept ${kept}` });
    }
    const [atSmall = 0, atLarge = 0] = perItem;
    const growth = atLarge / atSmall;
    verdicts.push(
      `${label}: time per item at n=${large} is ${growth.toFixed(2)}x that at n=${small} ` +
        `(target <= ~2x, i.e. ~linear): ${growth <= 2 ? 'met' : 'NOT met'}`,
    );
  }

  return [{ title: '@lf/list-ops unique: linear time on 1e4 vs 1e5 items', rows, verdicts }];
};

export default suite;
