/**
 * Properties 1 and 2: results come back in input order and equal a
 * sequential reference; the number of running calls never exceeds the limit
 * (also when `Limiter.limit` changes mid-run), and the limit is actually used.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '@lf/test-support';
import { alcall, bcall } from '@lf/alcall';
import { Limiter, parallelMap } from '@lf/limit';
import { mapConcurrent } from '@lf/limit/internal';
import { Log, PROPERTY_TIMEOUT, drain, fcParams, limitArb, settle, work } from './harness.js';

useFakeClock();

/** What an item's call returns: a plain value, null/undefined, or a (nested) array of values. */
const outputArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -5, max: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
  {
    weight: 2,
    arbitrary: fc.array(
      fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(null), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 })),
      { maxLength: 3 },
    ),
  },
);

const itemsArb = fc.array(fc.record({ out: outputArb, latency: fc.integer({ min: 0, max: 20 }) }), { maxLength: 25 });

interface Item {
  out: unknown;
  latency: number;
}
type Shape = 'array' | 'iterable' | 'async';

/** The input in one of the shapes alcall / mapConcurrent accept. */
function shaped<T>(items: T[], shape: Shape): Iterable<T> | AsyncIterable<T> {
  if (shape === 'array') return items;
  if (shape === 'iterable')
    return (function* () {
      yield* items;
    })();
  return (async function* () {
    for (const item of items) yield item;
  })();
}

/** Recursive flatten/dropna reference (arrays only: the outputs hold nothing else). */
function flatRef(values: unknown[], flatten: boolean, dropna: boolean): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (v == null) {
      if (!dropna) out.push(v);
    } else if (Array.isArray(v)) {
      const inner = flatRef(v, flatten, dropna);
      if (flatten) out.push(...inner);
      else out.push(inner);
    } else out.push(v);
  }
  return out;
}

/** An instrumented call: starts, waits `latency` on the fake clock, returns `out`. */
function call(log: Log, item: Item, index: number, signal?: AbortSignal): Promise<unknown> {
  return log.track(index, async () => {
    await work(item.latency, signal, 'cooperative');
    return item.out;
  });
}

describe('property 1: results are in input order and match a sequential reference', () => {
  it(
    'alcall, with any concurrency, input shape and output post-processing',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          itemsArb,
          fc.record({
            maxConcurrent: limitArb,
            shape: fc.constantFrom<Shape>('array', 'iterable', 'async'),
            flatten: fc.boolean(),
            dropna: fc.boolean(),
            numRetries: fc.constantFrom(0, 1),
          }),
          async (items, o) => {
            const log = new Log();
            const promise = alcall(shaped(items, o.shape), (item: Item, ctx) => call(log, item, ctx.index, ctx.signal), {
              maxConcurrent: o.maxConcurrent,
              flatten: o.flatten,
              dropna: o.dropna,
              numRetries: o.numRetries,
            });
            const outcome = await settle(promise);
            expect(outcome).toMatchObject({ ok: true });
            const expected =
              o.flatten || o.dropna
                ? flatRef(
                    items.map((i) => i.out),
                    o.flatten,
                    o.dropna,
                  )
                : items.map((i) => i.out);
            expect(outcome.ok && outcome.value).toEqual(expected);
            expect(vi.getTimerCount()).toBe(0);
          },
        ),
        fcParams(),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'parallelMap, mapConcurrent and Limiter.run',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          itemsArb,
          limitArb,
          fc.constantFrom<Shape>('array', 'iterable', 'async'),
          fc.constantFrom('parallelMap', 'mapConcurrent', 'Limiter.run'),
          async (items, limit, shape, api) => {
            const log = new Log();
            let promise: Promise<unknown[]>;
            if (api === 'parallelMap') {
              promise = parallelMap((item: Item, i, ctx) => call(log, item, i, ctx.signal), shaped(items, shape), limit);
            } else if (api === 'mapConcurrent') {
              promise = mapConcurrent(shaped(items, shape), (item: Item, i, ctx) => call(log, item, i, ctx.signal), { concurrency: limit });
            } else {
              const limiter = new Limiter(limit);
              promise = Promise.all(items.map((item, i) => limiter.run(() => call(log, item, i))));
            }
            const outcome = await settle(promise);
            expect(outcome.ok && outcome.value).toEqual(items.map((i) => i.out));
            expect(vi.getTimerCount()).toBe(0);
          },
        ),
        fcParams(),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'bcall yields every batch in order, and the batches concatenate to the sequential reference',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ out: fc.integer(), latency: fc.integer({ min: 0, max: 20 }) }), { maxLength: 25 }),
          fc.integer({ min: 1, max: 7 }),
          limitArb,
          fc.boolean(),
          async (items, batchSize, maxConcurrent, asyncInput) => {
            const log = new Log();
            const input = asyncInput ? shaped(items, 'async') : items;
            const collect = async (): Promise<unknown[][]> => {
              const batches: unknown[][] = [];
              for await (const batch of bcall(input, (item: Item, ctx) => call(log, item, ctx.index, ctx.signal), {
                batchSize,
                maxConcurrent,
              })) {
                batches.push(batch);
              }
              return batches;
            };
            const outcome = await settle(collect());
            if (!outcome.ok) throw outcome.error;
            const expected: unknown[][] = [];
            for (let i = 0; i < items.length; i += batchSize) expected.push(items.slice(i, i + batchSize).map((x) => x.out));
            expect(outcome.value).toEqual(expected);
          },
        ),
        fcParams(),
      );
    },
    PROPERTY_TIMEOUT,
  );
});

describe('property 2: the number of running calls never exceeds the limit', () => {
  it(
    'alcall, parallelMap and mapConcurrent never run more than the limit, and do use all of it',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 30 }),
          fc.integer({ min: 1, max: 8 }),
          fc.constantFrom('alcall', 'parallelMap', 'mapConcurrent'),
          fc.constantFrom<Shape>('array', 'iterable', 'async'),
          async (latencies, limit, api, shape) => {
            const log = new Log();
            const items = latencies.map((latency) => ({ out: latency, latency }));
            const fn = (item: Item, i: number, signal: AbortSignal): Promise<unknown> => call(log, item, i, signal);
            const input = shaped(items, shape);
            const promise =
              api === 'alcall'
                ? alcall(input, (item: Item, ctx) => fn(item, ctx.index, ctx.signal), { maxConcurrent: limit })
                : api === 'parallelMap'
                  ? parallelMap((item: Item, i, ctx) => fn(item, i, ctx.signal), input, limit)
                  : mapConcurrent(input, (item: Item, i, ctx) => fn(item, i, ctx.signal), { concurrency: limit });
            const outcome = await settle(promise);
            expect(outcome.ok).toBe(true);
            expect(log.maxRunning).toBeLessThanOrEqual(limit);
            // Every latency is > 0 and nothing fails, so the first `limit` calls overlap.
            expect(log.maxRunning).toBe(Math.min(limit, items.length));
          },
        ),
        fcParams(),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'Limiter: at every start, running <= the limit of that moment, also when limit changes mid-run',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ latency: fc.integer({ min: 0, max: 30 }), at: fc.integer({ min: 0, max: 40 }) }), { maxLength: 30 }),
          fc.integer({ min: 1, max: 6 }),
          fc.array(fc.record({ at: fc.integer({ min: 0, max: 60 }), limit: limitArb }), { maxLength: 5 }),
          async (calls, initial, changes) => {
            const limiter = new Limiter(initial);
            let running = 0;
            const violations: string[] = [];
            const results: Promise<number>[] = [];
            for (const [i, c] of calls.entries()) {
              setTimeout(() => {
                results.push(
                  limiter.run(async () => {
                    running++;
                    if (running > limiter.limit) violations.push(`call ${i} started with ${running} running, limit ${limiter.limit}`);
                    try {
                      await work(c.latency, undefined, 'stubborn');
                    } finally {
                      running--;
                    }
                    return i;
                  }),
                );
              }, c.at);
            }
            for (const change of changes) {
              setTimeout(() => {
                const waiting = limiter.activeCount + limiter.pendingCount;
                limiter.limit = change.limit;
                // Raising the limit starts queued calls at once (synchronously).
                if (limiter.activeCount < Math.min(change.limit, waiting)) {
                  violations.push(`limit raised to ${change.limit} but only ${limiter.activeCount} of ${waiting} run`);
                }
              }, change.at);
            }
            const idle = (async () => {
              await new Promise((resolve) => setTimeout(resolve, 61));
              await limiter.onIdle();
              return Promise.all(results);
            })();
            const outcome = await settle(idle);
            expect(violations).toEqual([]);
            expect(outcome.ok && [...outcome.value].sort((a, b) => a - b)).toEqual(calls.map((_, i) => i));
            expect(limiter.activeCount + limiter.pendingCount).toBe(0);
            await drain();
          },
        ),
        fcParams(),
      );
    },
    PROPERTY_TIMEOUT,
  );
});
