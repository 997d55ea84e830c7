/**
 * alcall against the hand-written worker pool (the floor), p-map and
 * `Promise.all(items.map(fn))`, on trivial async items; and its peak heap
 * growth against the pool's on 1e6 lazily read items at maxConcurrent 100.
 */
import pMap, { pMapIterable } from 'p-map';
import { alcall, alcallIter } from '@lf/alcall';
import { iteratorPool, pool, trivial } from '../baselines.js';
import { at, compare, measure, peakHeapRuns, ratio, ratioVerdict, rowsOf, type Row, type Section, type Suite } from '../harness.js';

const CONCURRENCY = 16;

/** Every option written out at its "off" value: must cost what no options cost. */
const offOptions = {
  maxConcurrent: CONCURRENCY,
  numRetries: 0,
  retryDelay: 0,
  backoffFactor: 1,
  initialDelay: 0,
  retryTiming: false,
  flatten: false,
  dropna: false,
  uniqueOutput: false,
  sanitizeInput: false,
  stopOnError: true,
} as const;

async function speed(n: number, rounds: number): Promise<Section> {
  const items = Array.from({ length: n }, (_, i) => i);
  const t = await compare(
    {
      pool: () => pool(items, trivial, CONCURRENCY),
      'alcall maxConcurrent 16': () => alcall(items, trivial, { maxConcurrent: CONCURRENCY }),
      'alcall maxConcurrent 16, other options written out at their off values': () => alcall(items, trivial, offOptions),
      'p-map concurrency 16': () => pMap(items, trivial, { concurrency: CONCURRENCY }),
      'Promise.all(items.map(fn))': () => Promise.all(items.map(trivial)),
      'alcall (no limit)': () => alcall(items, trivial),
    },
    rounds,
  );
  const base = at(t, 'pool');
  const lf = at(t, 'alcall maxConcurrent 16');
  const rows: Row[] = Object.entries(t).map(([name, ms]) => ({ name, ms, note: `${ratio(ms, base)} of the pool` }));
  const vsPool = lf / base;
  const vsPMap = at(t, 'p-map concurrency 16') / lf;
  const noLimit = at(t, 'alcall (no limit)') / at(t, 'Promise.all(items.map(fn))');
  const off = at(t, 'alcall maxConcurrent 16, other options written out at their off values') / lf;
  return {
    title: `alcall: ${n.toExponential(0)} trivial async items`,
    rows,
    verdicts: [
      `alcall maxConcurrent 16 within 1.5x of the pool: ${vsPool <= 1.5 ? 'met' : 'NOT met'} (${vsPool.toFixed(2)}x)`,
      `alcall maxConcurrent 16 at least 4x faster than p-map: ${vsPMap >= 4 ? 'met' : 'NOT met'} (${vsPMap.toFixed(2)}x faster)`,
      `alcall with no limit within 1.3x of Promise.all(items.map(fn)): ${noLimit <= 1.3 ? 'met' : 'NOT met'} (${noLimit.toFixed(2)}x)`,
      `options that are off cost nothing: ${off.toFixed(2)}x of plain maxConcurrent 16`,
    ],
  };
}

async function memory(n: number, concurrency: number): Promise<Section> {
  const contenders: Record<string, (items: Iterable<number>) => Promise<unknown>> = {
    [`pool (reads the generator lazily), concurrency ${concurrency}`]: (items) => iteratorPool(items, trivial, concurrency),
    [`alcall maxConcurrent ${concurrency} (generator)`]: (items) => alcall(items, trivial, { maxConcurrent: concurrency }),
  };
  const results = await peakHeapRuns(contenders, n);
  const rows: Row[] = Object.entries(results).map(([name, { mb, ms }]) => ({
    name,
    ms,
    note: `peak heap growth ${mb.toFixed(1)} MB`,
  }));
  const lf = at(results, `alcall maxConcurrent ${concurrency} (generator)`).mb;
  const floor = at(results, `pool (reads the generator lazily), concurrency ${concurrency}`).mb;
  return {
    title: `alcall: peak heap growth on ${n.toExponential(0)} items, maxConcurrent ${concurrency}`,
    rows,
    verdicts: [
      `peak heap growth within 2x of the pool's: ${lf <= 2 * floor ? 'met' : 'NOT met'} (${lf.toFixed(1)} MB vs ${floor.toFixed(1)} MB, ${ratio(lf, floor)}; both keep the ${n.toExponential(0)} results)`,
    ],
  };
}

/** The retry path on items that succeed first try: validated once per call, no per-item bookkeeping. */
async function retryPath(n: number, rounds: number): Promise<Section> {
  const items = Array.from({ length: n }, (_, i) => i);
  const plain = 'alcall maxConcurrent 16, no retry options';
  const retried = 'alcall maxConcurrent 16, numRetries: 3';
  const timed = 'alcall maxConcurrent 16, numRetries: 3, retryTimeout: 60000';
  const t = await measure(
    {
      [plain]: () => alcall(items, trivial, { maxConcurrent: CONCURRENCY }),
      [retried]: () => alcall(items, trivial, { maxConcurrent: CONCURRENCY, numRetries: 3 }),
      [timed]: () => alcall(items, trivial, { maxConcurrent: CONCURRENCY, numRetries: 3, retryTimeout: 60_000 }),
    },
    { rounds, baseline: plain },
  );
  const r = at(t, retried).ratio;
  return {
    title: `alcall: the retry path, ${n.toExponential(0)} items that succeed first try`,
    rows: rowsOf(t, plain),
    verdicts: r === undefined ? [] : [ratioVerdict('alcall numRetries: 3 / alcall without retry options', r, 2)],
  };
}

/** The floor for streaming: a hand-written pool over a lazily read iterator that discards every result. */
async function discardingPool(items: Iterable<number>, fn: (x: number) => Promise<number>, concurrency: number): Promise<void> {
  const iterator = items[Symbol.iterator]();
  const worker = async (): Promise<void> => {
    for (let step = iterator.next(); step.done !== true; step = iterator.next()) await fn(step.value);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** alcallIter on a generator: peak heap against the discarding pool, speed against p-map's pMapIterable. */
async function streaming(n: number, concurrency: number): Promise<Section> {
  const pool = `pool discarding results (generator), concurrency ${concurrency}`;
  const lf = `alcallIter maxConcurrent ${concurrency} (generator), consumed by for await`;
  const lfUnordered = `alcallIter maxConcurrent ${concurrency}, ordered: false`;
  const peer = `p-map pMapIterable concurrency ${concurrency}, consumed by for await`;
  const consume = async (it: AsyncIterable<unknown>): Promise<void> => {
    for await (const _ of it) {
      // consume
    }
  };
  const contenders: Record<string, (items: Iterable<number>) => Promise<unknown>> = {
    [pool]: (items) => discardingPool(items, trivial, concurrency),
    [lf]: (items) => consume(alcallIter(items, trivial, { maxConcurrent: concurrency })),
    [lfUnordered]: (items) => consume(alcallIter(items, trivial, { maxConcurrent: concurrency, ordered: false })),
    [peer]: (items) => consume(pMapIterable(items, trivial, { concurrency })),
  };
  const results = await peakHeapRuns(contenders, n);
  const rows: Row[] = Object.entries(results).map(([name, { mb, ms }]) => ({
    name,
    ms,
    note: `peak heap growth ${mb.toFixed(1)} MB`,
  }));
  const heap = at(results, lf).mb;
  const floor = at(results, pool).mb;
  const speedup = at(results, peer).ms / at(results, lf).ms;
  return {
    title: `alcallIter: ${n.toExponential(0)} items from a generator, maxConcurrent ${concurrency}`,
    rows,
    verdicts: [
      `peak heap growth within 2x of the discarding pool's: ${heap <= 2 * Math.max(floor, 0.5) ? 'met' : 'NOT met'} (${heap.toFixed(1)} MB vs ${floor.toFixed(1)} MB; a floor under 0.5 MB counts as 0.5 MB, the sampling noise)`,
      `at least as fast as pMapIterable: ${speedup >= 1 ? 'met' : 'NOT met'} (${speedup.toFixed(2)}x faster)`,
    ],
  };
}

const suite: Suite = async ({ quick }) => {
  if (quick) return [await speed(1e4, 3), await retryPath(1e4, 3), await memory(1e5, 100), await streaming(1e5, 100)];
  return [await speed(1e5, 7), await speed(1e6, 5), await retryPath(1e5, 7), await memory(1e6, 100), await streaming(1e6, 100)];
};

export default suite;
