/**
 * Property 4: nothing starts after an abort, or after the first failure with
 * `stopOnError`; the call rejects with whichever came first.
 * Property 5: when alcall / parallelMap / mapConcurrent / bcall / taskGroup /
 * CancelScope / failAfter / retry settle, no call they started is still
 * running (calls are instrumented: start and settle are logged), whatever the
 * calls do with their signal (stop at once, clean up for a while, ignore it).
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '@lf/test-support';
import { alcall, bcall } from '@lf/alcall';
import { parallelMap } from '@lf/limit';
import { mapConcurrent } from '@lf/limit/internal';
import { retry } from '@lf/retry';
import { CancelScope, failAfter, moveOnAfter, taskGroup } from '@lf/scope';
import { ItemError, Log, PROPERTY_TIMEOUT, fcParams, limitArb, runOut, settle, work, type Behaviour } from './harness.js';

useFakeClock();

interface Item {
  latency: number;
  fails: boolean;
  behaviour: Behaviour;
}

const itemsArb = (behaviours: Behaviour[]) =>
  fc.array(
    fc.record({
      latency: fc.integer({ min: 0, max: 20 }),
      fails: fc.boolean(),
      behaviour: fc.constantFrom(...behaviours),
    }),
    { maxLength: 16 },
  );

/** Failing items are rarer than good ones, so runs get far before stopping. */
const sparseItemsArb = (behaviours: Behaviour[]) =>
  fc.array(
    fc.record({
      latency: fc.integer({ min: 0, max: 20 }),
      fails: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      behaviour: fc.constantFrom(...behaviours),
    }),
    { maxLength: 16 },
  );

type Api = 'alcall' | 'parallelMap' | 'mapConcurrent' | 'bcall';

interface RunOptions {
  api: Api;
  limit: number;
  stopOnError: boolean;
  numRetries: number;
  throttlePeriod: number;
  abortAt: number | undefined;
}

/**
 * Runs `items` through `api` with instrumented calls: every attempt logs
 * 'start' and 'settle', a call's final failure logs 'fail', the abort logs
 * 'abort'. Returns the log and the outcome.
 */
async function runInstrumented(items: Item[], o: RunOptions) {
  const log = new Log();
  const controller = new AbortController();
  const reason = new Error('aborted by the test');
  const abortTimer =
    o.abortAt === undefined
      ? undefined
      : setTimeout(() => {
          log.add('abort');
          controller.abort(reason);
        }, o.abortAt);
  const attempt = (item: Item, index: number, n: number, last: boolean, signal: AbortSignal): Promise<string> => {
    // 'stop' marks the moment the engine aborted the signal it handed out.
    if (signal.aborted) log.add('start with an aborted signal', index);
    const onStop = (): void => {
      log.add('stop', index);
    };
    signal.addEventListener('abort', onStop, { once: true });
    const call = log.track(index, async () => {
      await work(item.latency, signal, item.behaviour);
      if (item.fails) {
        if (last) log.add('fail', index);
        throw new ItemError(index, n);
      }
      return `value ${index}`;
    });
    call.then(
      () => signal.removeEventListener('abort', onStop),
      () => signal.removeEventListener('abort', onStop),
    );
    return call;
  };
  const signal = controller.signal;
  let promise: Promise<unknown>;
  if (o.api === 'alcall' || o.api === 'bcall') {
    const fn = (item: Item, ctx: { index: number; attempt: number; signal: AbortSignal }) =>
      attempt(item, ctx.index, ctx.attempt, ctx.attempt === o.numRetries + 1, ctx.signal);
    const options = {
      signal,
      stopOnError: o.stopOnError,
      maxConcurrent: o.limit,
      ...(o.numRetries > 0 ? { numRetries: o.numRetries } : {}),
      ...(o.throttlePeriod > 0 ? { throttlePeriod: o.throttlePeriod } : {}),
    };
    promise =
      o.api === 'alcall'
        ? alcall(items, fn, options)
        : (async () => {
            const out: unknown[] = [];
            for await (const batch of bcall(items, fn, { ...options, batchSize: 3 })) out.push(...batch);
            return out;
          })();
  } else {
    const fn = (item: Item, index: number, ctx: { signal: AbortSignal }) => attempt(item, index, 1, true, ctx.signal);
    promise =
      o.api === 'parallelMap'
        ? parallelMap(fn, items, o.limit, { signal })
        : mapConcurrent(items, fn, { concurrency: o.limit, signal, stopOnError: o.stopOnError });
  }
  const outcome = await settle(promise);
  log.add('settled');
  const runningAtSettle = log.running;
  clearTimeout(abortTimer);
  await runOut();
  return { log, outcome, runningAtSettle, reason };
}

/** Waits for `promise` to settle, checks that nothing it started still runs, then clears the test's abort timer. */
async function settledWithNothingRunning(
  promise: Promise<unknown>,
  log: Log,
  timer: ReturnType<typeof setTimeout> | undefined,
): Promise<void> {
  await settle(promise);
  expect(log.running).toBe(0);
  clearTimeout(timer);
}

const runOptionsArb = (apis: Api[], retries: boolean) =>
  fc.record({
    api: fc.constantFrom(...apis),
    limit: limitArb,
    stopOnError: fc.boolean(),
    numRetries: retries ? fc.integer({ min: 0, max: 2 }) : fc.constant(0),
    throttlePeriod: fc.constantFrom(0, 0, 2),
    abortAt: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
  });

describe('property 4: nothing starts after an abort, or after the first failure with stopOnError', () => {
  it(
    'alcall, bcall, parallelMap and mapConcurrent',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          sparseItemsArb(['cooperative', 'cleanup', 'stubborn']),
          runOptionsArb(['alcall', 'bcall', 'parallelMap', 'mapConcurrent'], true),
          async (items, raw) => {
            const o = { ...raw, stopOnError: raw.api === 'parallelMap' ? true : raw.stopOnError };
            const { log, outcome, reason } = await runInstrumented(items, o);
            const settled = log.first('settled');
            const before = (index: number): number => (index < settled ? index : Infinity);
            const abort = before(log.first('abort'));
            const fail = o.stopOnError ? before(log.first('fail')) : Infinity;
            // The engine learns of a failure when its promise rejects, a few
            // microtasks after the throw: a call that starts in that window (another
            // item's retry due at the same instant) is a race, not a late start. So
            // after a failure the cut-off is the first abort of a signal the engine
            // handed out, which must come at the instant of the failure.
            const stopAfterFail = fail === Infinity ? Infinity : log.events.findIndex((e, i) => i > fail && e.kind === 'stop');
            const failCutoff = stopAfterFail === -1 ? fail : stopAfterFail;
            if (failCutoff !== fail) expect(log.events[failCutoff]!.at).toBe(log.events[fail]!.at);
            const cutoff = Math.min(abort, failCutoff);
            expect(log.first('start with an aborted signal')).toBe(Infinity);
            expect(log.after(cutoff, 'start')).toEqual([]);
            if (cutoff === Infinity) {
              if (log.first('fail') === Infinity) expect(outcome.ok).toBe(true);
              else expect(outcome.ok || outcome.error).toBeInstanceOf(AggregateError);
              return;
            }
            expect(outcome.ok).toBe(false);
            if (outcome.ok) return;
            if (abort < before(log.first('stop')) || (abort < Infinity && fail === Infinity)) expect(outcome.error).toBe(reason);
            else {
              // The error of a call whose last attempt failed at the instant of the stop.
              const failedThen = log.events.filter((e) => e.kind === 'fail' && e.at === log.events[cutoff]!.at).map((e) => e.id);
              expect(outcome.error).toBeInstanceOf(ItemError);
              expect(failedThen).toContain((outcome.error as ItemError).index);
            }
          },
        ),
        fcParams(),
      );
    },
    PROPERTY_TIMEOUT,
  );
});

describe('property 5: when a call settles, nothing it started is still running', () => {
  it(
    'parallelMap, mapConcurrent, and alcall / bcall without retry options, whatever the calls do with their signal',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          itemsArb(['cooperative', 'cleanup', 'stubborn']),
          runOptionsArb(['alcall', 'bcall', 'parallelMap', 'mapConcurrent'], false),
          async (items, o) => {
            const { runningAtSettle, log } = await runInstrumented(items, o);
            expect(runningAtSettle).toBe(0);
            expect(log.running).toBe(0);
          },
        ),
        fcParams(),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'alcall and bcall with retry options, whatever the calls do with their signal',
    async () => {
      await fc.assert(
        fc.asyncProperty(itemsArb(['cooperative', 'cleanup', 'stubborn']), runOptionsArb(['alcall', 'bcall'], true), async (items, o) => {
          const { runningAtSettle } = await runInstrumented(items, o);
          expect(runningAtSettle).toBe(0);
        }),
        fcParams(),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'taskGroup waits for the body and every child, whatever they do with the group signal',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          itemsArb(['cooperative', 'cleanup', 'stubborn']),
          fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
          fc.integer({ min: 0, max: 20 }),
          async (children, abortAt, bodyLatency) => {
            const log = new Log();
            const controller = new AbortController();
            const timer = abortAt === undefined ? undefined : setTimeout(() => controller.abort(new Error('stop')), abortAt);
            const promise = taskGroup(
              async (tg) => {
                for (const [i, child] of children.entries()) {
                  tg.startSoon(() =>
                    log.track(i, async () => {
                      await work(child.latency, tg.signal, child.behaviour);
                      if (child.fails) throw new ItemError(i, 1);
                    }),
                  );
                }
                await log.track(-1, () => work(bodyLatency, tg.signal, 'cooperative'));
              },
              { signal: controller.signal },
            );
            await settledWithNothingRunning(promise, log, timer);
            await runOut();
          },
        ),
        fcParams(),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'CancelScope.run, moveOnAfter and failAfter wait for a body that cleans up or ignores the cancellation',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('CancelScope', 'moveOnAfter', 'failAfter'),
          fc.integer({ min: 0, max: 20 }),
          fc.integer({ min: 0, max: 20 }),
          fc.constantFrom<Behaviour>('cooperative', 'cleanup', 'stubborn'),
          fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
          async (api, timeout, latency, behaviour, cancelAt) => {
            const log = new Log();
            const body = ({ signal }: CancelScope) => log.track(0, () => work(latency, signal, behaviour));
            let promise: Promise<unknown>;
            let timer: ReturnType<typeof setTimeout> | undefined;
            if (api === 'CancelScope') {
              const scope = new CancelScope({ timeout });
              if (cancelAt !== undefined) timer = setTimeout(() => scope.cancel(), cancelAt);
              promise = scope.run(body);
            } else {
              promise = api === 'moveOnAfter' ? moveOnAfter(timeout, body) : failAfter(timeout, body);
            }
            await settledWithNothingRunning(promise, log, timer);
            expect(vi.getTimerCount()).toBe(0);
          },
        ),
        fcParams(),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'retry, when the attempts stop as soon as their signal aborts (an abort or a retryTimeout)',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ latency: fc.integer({ min: 0, max: 20 }), fails: fc.boolean() }), { minLength: 1, maxLength: 5 }),
          fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
          fc.option(fc.integer({ min: 1, max: 15 }), { nil: undefined }),
          fc.integer({ min: 0, max: 3 }),
          async (attempts, abortAt, retryTimeout, retryDelay) => {
            const log = new Log();
            const controller = new AbortController();
            const timer = abortAt === undefined ? undefined : setTimeout(() => controller.abort(new Error('stop')), abortAt);
            const promise = retry(
              ({ attempt, signal }) =>
                log.track(attempt, async () => {
                  const plan = attempts[Math.min(attempt, attempts.length) - 1]!;
                  await work(plan.latency, signal, 'cooperative');
                  if (plan.fails) throw new ItemError(0, attempt);
                }),
              {
                numRetries: attempts.length - 1,
                retryDelay,
                signal: controller.signal,
                ...(retryTimeout === undefined ? {} : { retryTimeout }),
              },
            );
            await settledWithNothingRunning(promise, log, timer);
            expect(vi.getTimerCount()).toBe(0);
          },
        ),
        fcParams(),
      );
    },
    PROPERTY_TIMEOUT,
  );
});
