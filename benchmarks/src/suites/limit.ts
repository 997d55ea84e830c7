/**
 * @lf/limit against the hand-written worker pool and p-limit / p-map /
 * p-queue: 1e5 and 1e6 trivial async items at concurrency 16, plus the
 * memory held while mapping a 1e6-item generator.
 */
import pLimit from 'p-limit';
import pMap from 'p-map';
import PQueue from 'p-queue';
import { Limiter, parallelMap } from '@lf/limit';
import { mapConcurrent } from '@lf/limit/internal';
import { iteratorPool, pool, trivial } from '../baselines.js';
import { at, compare, gc, peakHeapRuns, ratio, type Row, type Section, type Suite } from '../harness.js';

const CONCURRENCY = 16;

async function speed(n: number, rounds: number): Promise<Section> {
  const items = Array.from({ length: n }, (_, i) => i);
  const t = await compare(
    {
      pool: () => pool(items, trivial, CONCURRENCY),
      parallelMap: () => parallelMap(trivial, items, CONCURRENCY),
      mapConcurrent: () => mapConcurrent(items, trivial, { concurrency: CONCURRENCY }),
      'Limiter.run': () => {
        const limiter = new Limiter(CONCURRENCY);
        return Promise.all(items.map((x) => limiter.run(trivial, x)));
      },
      'p-limit': () => {
        const limit = pLimit(CONCURRENCY);
        return Promise.all(items.map((x) => limit(trivial, x)));
      },
      'p-map': () => pMap(items, trivial, { concurrency: CONCURRENCY }),
      'p-queue': () => {
        const queue = new PQueue({ concurrency: CONCURRENCY });
        return Promise.all(items.map((x) => queue.add(() => trivial(x))));
      },
      'Limiter.run called from 16 workers (no queue)': () => {
        const limiter = new Limiter(CONCURRENCY);
        return pool(items, (x) => limiter.run(trivial, x), CONCURRENCY);
      },
      'Promise.all(items.map(fn)) (no limit)': () => Promise.all(items.map(trivial)),
      'mapConcurrent (concurrency Infinity)': () => mapConcurrent(items, trivial),
    },
    rounds,
  );
  const base = at(t, 'pool');
  const all = at(t, 'Promise.all(items.map(fn)) (no limit)');
  const pl = at(t, 'p-limit');
  const rows: Row[] = Object.entries(t).map(([name, ms]) => ({
    name,
    ms,
    note: `${ratio(ms, base)} of pool, ${ratio(ms, all)} of Promise.all, ${ratio(pl, ms)} faster than p-limit`,
  }));
  const verdicts: string[] = [];
  for (const name of ['parallelMap', 'mapConcurrent', 'Limiter.run']) {
    const ms = at(t, name);
    const vsPLimit = pl / ms;
    const vsPool = ms / base;
    verdicts.push(
      `${name} >= 5x faster than p-limit: ${vsPLimit >= 5 ? 'met' : 'NOT met'} (${vsPLimit.toFixed(2)}x)`,
      `${name} within 1.5x of the pool: ${vsPool <= 1.5 ? 'met' : 'NOT met'} (${vsPool.toFixed(2)}x)`,
    );
  }
  const lr = at(t, 'Limiter.run');
  verdicts.push(
    `context for calls queued at once: Promise.all(items.map(fn)) with no limiter at all (every promise alive at once, as with any limiter used this way) is ${ratio(all, base)} of the pool; Limiter.run is ${ratio(lr, all)} of that`,
    `Limiter.run per-call overhead without a queue (16 workers calling it): ${ratio(at(t, 'Limiter.run called from 16 workers (no queue)'), base)} of the pool`,
  );
  const inf = at(t, 'mapConcurrent (concurrency Infinity)') / all;
  verdicts.push(`mapConcurrent with no limit within 1.3x of Promise.all(items.map(fn)) (alcall's floor): ${inf <= 1.3 ? 'met' : 'NOT met'} (${inf.toFixed(2)}x)`);
  return { title: `limit: ${n.toExponential(0)} trivial async items, concurrency ${CONCURRENCY}`, rows, verdicts };
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
  const measure = async (make: () => Promise<unknown>[]): Promise<number> => {
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
    bytes[name] = await measure(make);
    rows.push({ name, ms: performance.now() - start, note: `${bytes[name].toFixed(0)} B retained per queued call` });
  }
  const lr = at(bytes, 'Limiter.run');
  return {
    title: `limit: heap retained per call with ${n.toExponential(0)} calls queued at once`,
    rows,
    verdicts: [
      `Limiter.run holds ${lr.toFixed(0)} B per queued call: ${ratio(at(bytes, 'p-limit'), lr)} less than p-limit, ${ratio(lr, at(bytes, 'bare floor: one new Promise per call, its resolve kept'))} of the bare floor. Queued at once, time goes to the garbage collector in proportion to these bytes.`,
    ],
  };
}

const suite: Suite = async ({ quick }) => {
  const sections: Section[] = [];
  if (quick) {
    sections.push(await speed(1e4, 3));
    sections.push(await memory(1e5));
    sections.push(await retainedPerCall(1e4));
  } else {
    sections.push(await speed(1e5, 7));
    sections.push(await speed(1e6, 5));
    sections.push(await memory(1e6));
    sections.push(await retainedPerCall(1e5));
  }
  return sections;
};

export default suite;
