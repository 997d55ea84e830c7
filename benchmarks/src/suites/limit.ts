/**
 * @lf/limit (and alcall, which maps on limit's engine) against the
 * hand-written worker pool and p-limit / p-map / p-queue: 1e5 and 1e6 trivial
 * async items at concurrency 16; `Limiter.run` at small queues against a
 * hand-written semaphore; the memory held while mapping a 1e6-item generator.
 * Times are per-round ratios to the floor measured in the same round (see harness.ts).
 */
import pLimit from 'p-limit';
import pMap from 'p-map';
import PQueue from 'p-queue';
import { alcall } from '@lf/alcall';
import { Limiter, parallelMap } from '@lf/limit';
import { mapConcurrent } from '@lf/limit/internal';
import { iteratorPool, pool, trivial } from '../baselines.js';
import { at, gc, measure, peakHeapRuns, ratio, ratioVerdict, rowsOf, type Row, type Section, type Suite } from '../harness.js';

const CONCURRENCY = 16;

/**
 * The floor for `Limiter.run`: a hand-written counting semaphore (FIFO, the
 * slot handed straight to the next waiter), no validation, no cancellation.
 */
function semaphore(limit: number): <A, R>(fn: (arg: A) => PromiseLike<R>, arg: A) => Promise<R> {
  let active = 0;
  let waiting: (() => void)[] = [];
  let head = 0;
  const release = (): void => {
    if (head === waiting.length) {
      active--;
      return;
    }
    const next = waiting[head] as () => void;
    waiting[head++] = undefined as never;
    if (head === waiting.length) [waiting, head] = [[], 0];
    next(); // the slot passes to the next waiter: active stays the same
  };
  const settle = <R>(outcome: PromiseLike<R>): Promise<R> => {
    const promise = Promise.resolve(outcome);
    promise.then(release, release);
    return promise;
  };
  return (fn, arg) => {
    if (active < limit) return (active++, settle(fn(arg)));
    return new Promise<void>((resolve) => waiting.push(resolve)).then(() => settle(fn(arg)));
  };
}

/** The issue #18 targets for the concurrent map at k=16: at most this many times the pool, per size. */
const mapTarget = (n: number): number => (n >= 1e6 ? 1.2 : 1.3);

async function concurrentMap(n: number, rounds: number): Promise<Section> {
  const items = Array.from({ length: n }, (_, i) => i);
  const m = await measure(
    {
      pool: () => pool(items, trivial, CONCURRENCY),
      parallelMap: () => parallelMap(trivial, items, CONCURRENCY),
      mapConcurrent: () => mapConcurrent(items, trivial, { concurrency: CONCURRENCY }),
      'alcall maxConcurrent 16': () => alcall(items, trivial, { maxConcurrent: CONCURRENCY }),
      'p-map concurrency 16': () => pMap(items, trivial, { concurrency: CONCURRENCY }),
      'Limiter.run called from 16 workers (no queue)': () => {
        const limiter = new Limiter(CONCURRENCY);
        return pool(items, (x) => limiter.run(trivial, x), CONCURRENCY);
      },
      'Promise.all(items.map(fn)) (no limit)': () => Promise.all(items.map(trivial)),
      'mapConcurrent (concurrency Infinity)': () => mapConcurrent(items, trivial),
    },
    { rounds, baseline: 'pool' },
  );
  const r = (name: string) => at(m, name).ratio ?? { median: NaN, min: NaN, max: NaN };
  const target = mapTarget(n);
  const noLimit = at(m, 'mapConcurrent (concurrency Infinity)').median / at(m, 'Promise.all(items.map(fn)) (no limit)').median;
  return {
    title: `limit: concurrent map of ${n.toExponential(0)} trivial async items, concurrency ${CONCURRENCY} (${rounds} rounds)`,
    rows: rowsOf(m, 'pool'),
    verdicts: [
      ratioVerdict(`parallelMap / pool (issue #18 target)`, r('parallelMap'), target),
      ratioVerdict(`alcall maxConcurrent 16 / pool (issue #18 target)`, r('alcall maxConcurrent 16'), target),
      ratioVerdict(`mapConcurrent / pool`, r('mapConcurrent'), 1.5),
      `p-map is ${ratio(at(m, 'p-map concurrency 16').median, at(m, 'parallelMap').median)} of parallelMap's time`,
      `mapConcurrent with no limit within 1.3x of Promise.all(items.map(fn)) (alcall's floor): ${noLimit <= 1.3 ? 'met' : 'NOT met'} (${noLimit.toFixed(2)}x, medians)`,
    ],
  };
}

async function queuedAtOnce(n: number, rounds: number): Promise<Section> {
  const items = Array.from({ length: n }, (_, i) => i);
  const m = await measure(
    {
      pool: () => pool(items, trivial, CONCURRENCY),
      'Limiter.run': () => {
        const limiter = new Limiter(CONCURRENCY);
        return Promise.all(items.map((x) => limiter.run(trivial, x)));
      },
      'semaphore (hand-written)': () => {
        const run = semaphore(CONCURRENCY);
        return Promise.all(items.map((x) => run(trivial, x)));
      },
      'p-limit': () => {
        const limit = pLimit(CONCURRENCY);
        return Promise.all(items.map((x) => limit(trivial, x)));
      },
      'p-queue': () => {
        const queue = new PQueue({ concurrency: CONCURRENCY });
        return Promise.all(items.map((x) => queue.add(() => trivial(x))));
      },
      'Promise.all(items.map(fn)) (no limit)': () => Promise.all(items.map(trivial)),
    },
    { rounds, baseline: 'pool' },
  );
  const lr = at(m, 'Limiter.run').median;
  const vsPLimit = at(m, 'p-limit').median / lr;
  const vsPool = lr / at(m, 'pool').median;
  return {
    title: `limit: ${n.toExponential(0)} calls queued at once, concurrency ${CONCURRENCY} (${rounds} rounds)`,
    rows: rowsOf(m, 'pool'),
    verdicts: [
      `Limiter.run >= 5x faster than p-limit: ${vsPLimit >= 5 ? 'met' : 'NOT met'} (${vsPLimit.toFixed(2)}x, medians)`,
      `Limiter.run within 1.5x of the pool: ${vsPool <= 1.5 ? 'met' : 'NOT met'} (${vsPool.toFixed(2)}x, medians). Every queued call must own the promise it returns, so with every call queued at once the run is bound by the garbage collector in proportion to the bytes each waiting call holds (see the retained-bytes section); the pool never holds more than 16 calls. For many items, use parallelMap or alcall, which read the input lazily.`,
      `context: Limiter.run is ${ratio(lr, at(m, 'semaphore (hand-written)').median)} of the hand-written semaphore, ${ratio(lr, at(m, 'Promise.all(items.map(fn)) (no limit)').median)} of Promise.all(items.map(fn)) with no limiter at all`,
    ],
  };
}

/**
 * `Limiter.run` at small queues (`n` calls queued at once) against the
 * hand-written semaphore: each timed run queues `n` calls, awaits them all, and
 * does that `batches` times (enough calls for a measurable time), on one limiter.
 */
async function smallQueue(n: number, batches: number, rounds: number): Promise<Section> {
  const items = Array.from({ length: n }, (_, i) => i);
  const batchesOf = (run: (fn: typeof trivial, x: number) => Promise<number>) => async (): Promise<void> => {
    for (let b = 0; b < batches; b++) await Promise.all(items.map((x) => run(trivial, x)));
  };
  const m = await measure(
    {
      'semaphore (hand-written)': () => batchesOf(semaphore(CONCURRENCY))(),
      'Limiter.run': () => {
        const limiter = new Limiter(CONCURRENCY);
        return batchesOf((fn, x) => limiter.run(fn, x))();
      },
      'p-limit': () => {
        const limit = pLimit(CONCURRENCY);
        return batchesOf((fn, x) => limit(fn, x))();
      },
    },
    { rounds, baseline: 'semaphore (hand-written)' },
  );
  return {
    title: `limit: Limiter.run with ${n.toExponential(0)} calls queued at once, ${batches} batches per run, concurrency ${CONCURRENCY} (${rounds} rounds)`,
    rows: rowsOf(m, 'semaphore'),
    verdicts: [
      ratioVerdict(
        'Limiter.run / hand-written semaphore (issue #18 target)',
        at(m, 'Limiter.run').ratio ?? { median: NaN, min: NaN, max: NaN },
        1.15,
      ),
    ],
  };
}

async function memory(n: number): Promise<Section> {
  const contenders: Record<string, (items: Iterable<number>) => Promise<unknown>> = {
    'pool (reads the generator lazily)': (items) => iteratorPool(items, trivial, CONCURRENCY),
    'parallelMap (generator)': (items) => parallelMap(trivial, items, CONCURRENCY),
    'eager: Array.from(generator) then pool': (items) => pool(Array.from(items), trivial, CONCURRENCY),
    'eager: Limiter.run on every item at once': (items) => {
      const limiter = new Limiter(CONCURRENCY);
      return Promise.all(Array.from(items, (x) => limiter.run(trivial, x)));
    },
  };
  const results = await peakHeapRuns(contenders, n);
  const rows: Row[] = Object.entries(results).map(([name, { mb, ms }]) => ({
    name,
    ms,
    note: `peak heap growth ${mb.toFixed(1)} MB`,
  }));
  const pm = at(results, 'parallelMap (generator)').mb;
  const pl = at(results, 'pool (reads the generator lazily)').mb;
  const eager = at(results, 'eager: Limiter.run on every item at once').mb;
  return {
    title: `limit: peak heap growth mapping a ${n.toExponential(0)}-item generator, concurrency ${CONCURRENCY}`,
    rows,
    verdicts: [
      `parallelMap reads lazily (memory grows with concurrency, not input; both keep the ${n.toExponential(0)} results): ${pm.toFixed(1)} MB vs lazy pool ${pl.toFixed(1)} MB (${ratio(pm, pl)}); queueing every call at once: ${eager.toFixed(1)} MB`,
    ],
  };
}

/** Heap retained per call while `n` calls wait in a queue (after a full GC), in bytes. */
async function retainedPerCall(n: number): Promise<Section> {
  const items = Array.from({ length: n }, (_, i) => i);
  const measureBytes = async (make: () => Promise<unknown>[]): Promise<number> => {
    gc();
    const before = process.memoryUsage().heapUsed;
    const held = make();
    gc();
    const bytes = (process.memoryUsage().heapUsed - before) / n;
    await Promise.all(held);
    return bytes;
  };
  const contenders: Record<string, () => Promise<unknown>[]> = {
    'bare floor: one new Promise per call, its resolve kept': () => {
      const pending: { x: number; resolve: (v: number) => void }[] = [];
      const promises = items.map((x) => new Promise<number>((resolve) => pending.push({ x, resolve })));
      queueMicrotask(() => {
        for (const p of pending) p.resolve(p.x);
      });
      return promises;
    },
    'Limiter.run': () => {
      const limiter = new Limiter(CONCURRENCY);
      return items.map((x) => limiter.run(trivial, x));
    },
    'semaphore (hand-written)': () => {
      const run = semaphore(CONCURRENCY);
      return items.map((x) => run(trivial, x));
    },
    'p-limit': () => {
      const limit = pLimit(CONCURRENCY);
      return items.map((x) => limit(trivial, x));
    },
    'p-queue': () => {
      const queue = new PQueue({ concurrency: CONCURRENCY });
      return items.map((x) => queue.add(() => trivial(x)));
    },
  };
  const rows: Row[] = [];
  const bytes: Record<string, number> = {};
  for (const [name, make] of Object.entries(contenders)) {
    const start = performance.now();
    bytes[name] = await measureBytes(make);
    rows.push({ name, ms: performance.now() - start, note: `${bytes[name].toFixed(0)} B retained per queued call` });
  }
  const lr = at(bytes, 'Limiter.run');
  return {
    title: `limit: heap retained per call with ${n.toExponential(0)} calls queued at once`,
    rows,
    verdicts: [
      `Limiter.run holds ${lr.toFixed(0)} B per queued call: ${ratio(at(bytes, 'p-limit'), lr)} less than p-limit, ${ratio(lr, at(bytes, 'semaphore (hand-written)'))} of the hand-written semaphore, ${ratio(lr, at(bytes, 'bare floor: one new Promise per call, its resolve kept'))} of the bare floor. Queued at once, time goes to the garbage collector in proportion to these bytes.`,
    ],
  };
}

const suite: Suite = async ({ quick }) => {
  if (quick) {
    return [
      await concurrentMap(1e4, 5),
      await queuedAtOnce(1e4, 3),
      await smallQueue(1e3, 10, 5),
      await memory(1e5),
      await retainedPerCall(1e4),
    ];
  }
  return [
    await concurrentMap(1e5, 21),
    await concurrentMap(1e6, 9),
    await smallQueue(1e3, 100, 21),
    await smallQueue(1e4, 10, 21),
    await queuedAtOnce(1e5, 7),
    await queuedAtOnce(1e6, 3),
    await memory(1e6),
    await retainedPerCall(1e5),
  ];
};

export default suite;
