/**
 * Property 3: each item is attempted exactly
 * `min(numRetries + 1, attempts until success)` times, and the outcome is the
 * value, the `retryDefault`, or the last error itself (a `TimeoutError` for an
 * attempt that outlived `retryTimeout`). Retry is structured: its attempts
 * never overlap, and when it settles none of them still runs, whether the
 * attempts stop at their signal or ignore it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useFakeClock } from '@lf/test-support';
import { alcall } from '@lf/alcall';
import { retry, withRetry, type Jitter } from '@lf/retry';
import { TimeoutError } from '@lf/scope';
import { ItemError, PROPERTY_TIMEOUT, fcParams, settle, work, type Behaviour } from './harness.js';

useFakeClock();

/** How one attempt ends: a value after `latency`, a rejection, a sync throw, or a hang past `retryTimeout`. */
type Attempt = 'ok' | 'reject' | 'throw' | 'hang';

/** An item: the outcomes of its attempts, in order (the last one repeats forever). */
interface Plan {
  attempts: Attempt[];
  latency: number;
  behaviour: Behaviour;
}

const TIMEOUT = 10;

const optionsArb = fc.record({
  numRetries: fc.integer({ min: 0, max: 4 }),
  retryDelay: fc.integer({ min: 0, max: 5 }),
  backoffFactor: fc.constantFrom(1, 1.5, 2),
  jitter: fc.constantFrom<Jitter>('none', 'full', 'equal', 'decorrelated'),
  randomValue: fc.double({ min: 0, max: 0.999, noNaN: true }),
  hasDefault: fc.boolean(),
  timeout: fc.boolean(),
});
type Options = typeof optionsArb extends fc.Arbitrary<infer O> ? O : never;

function planArb(timeout: boolean): fc.Arbitrary<Plan> {
  const failure = fc.constantFrom<Attempt>(...(timeout ? (['reject', 'throw', 'hang'] as const) : (['reject', 'throw'] as const)));
  return fc.record({
    attempts: fc
      .tuple(fc.array(failure, { maxLength: 6 }), fc.constantFrom<Attempt>('ok', 'ok', 'reject'))
      .map(([fails, last]) => [...fails, last]),
    latency: fc.integer({ min: 0, max: TIMEOUT - 1 }),
    behaviour: fc.constantFrom<Behaviour>('cooperative', 'stubborn'),
  });
}

function attemptOf(plan: Plan, attempt: number): Attempt {
  return plan.attempts[Math.min(attempt, plan.attempts.length) - 1] ?? 'ok';
}

/** Runs attempt `attempt` of `plan`; errors are ItemErrors naming the item and attempt. */
function runAttempt(plan: Plan, index: number, attempt: number, signal: AbortSignal | undefined): unknown {
  const kind = attemptOf(plan, attempt);
  if (kind === 'throw') throw new ItemError(index, attempt);
  return (async () => {
    await work(kind === 'hang' ? TIMEOUT * 5 : plan.latency, signal, plan.behaviour);
    if (kind === 'reject') throw new ItemError(index, attempt);
    return `value ${index}`;
  })();
}

/** What the reference says: attempts made, and the outcome. */
function expected(plan: Plan, numRetries: number): { attempts: number; ok: boolean; lastAttempt: Attempt } {
  const untilSuccess = plan.attempts.indexOf('ok') + 1 || Infinity;
  const attempts = Math.min(numRetries + 1, untilSuccess);
  return { attempts, ok: untilSuccess <= numRetries + 1, lastAttempt: attemptOf(plan, attempts) };
}

/** The error a failed item must reject with: its last attempt's own error, or the attempt's TimeoutError. */
function checkLastError(error: unknown, index: number, attempts: number, last: Attempt): void {
  if (last === 'hang') expect(error).toBeInstanceOf(TimeoutError);
  else expect(error).toMatchObject({ name: 'ItemError', index, attempt: attempts });
}

const DEFAULT = Symbol('retryDefault');

/** The retry options a drawn `optionsArb` value stands for (retry's and alcall's names are the same). */
function retryOptions(o: Options) {
  return {
    numRetries: o.numRetries,
    retryDelay: o.retryDelay,
    backoffFactor: o.backoffFactor,
    jitter: o.jitter,
    random: () => o.randomValue,
    ...(o.timeout ? { retryTimeout: TIMEOUT } : {}),
    ...(o.hasDefault ? { retryDefault: DEFAULT } : {}),
  };
}

describe('property 3: each item is attempted exactly min(numRetries + 1, attempts until success) times', () => {
  it(
    'retry and withRetry (attempts never overlap; none runs once retry settled)',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          optionsArb.chain((o) => fc.tuple(fc.constant(o), planArb(o.timeout), fc.boolean())),
          async ([o, plan, wrapped]) => {
            let calls = 0;
            let running = 0;
            let peak = 0;
            /** Counts the attempts running at once (a sync throw never runs). */
            const tracked = (attempt: () => unknown): unknown => {
              const result = attempt();
              if (!(result instanceof Promise)) return result;
              running++;
              peak = Math.max(peak, running);
              return result.finally(() => {
                running--;
              });
            };
            const options = retryOptions(o);
            const promise = wrapped
              ? withRetry(() => tracked(() => runAttempt(plan, 0, ++calls, undefined)), options)()
              : retry(({ attempt, signal }) => {
                  calls++;
                  expect(attempt).toBe(calls);
                  return tracked(() => runAttempt(plan, 0, attempt, signal));
                }, options);
            const outcome = await settle(promise);
            expect(peak).toBeLessThanOrEqual(1); // attempts never overlap
            expect(running).toBe(0); // nothing retry started still runs once it settled
            const want = expected(plan, o.numRetries);
            expect(calls).toBe(want.attempts);
            if (want.ok) expect(outcome).toMatchObject({ ok: true, value: 'value 0' });
            else if (o.hasDefault) expect(outcome).toMatchObject({ ok: true, value: DEFAULT });
            else {
              expect(outcome.ok).toBe(false);
              if (!outcome.ok) checkLastError(outcome.error, 0, want.attempts, want.lastAttempt);
            }
          },
        ),
        fcParams(),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'alcall (every item runs: stopOnError false), with the AggregateError listing exactly the failed items',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          optionsArb.chain((o) =>
            fc.tuple(fc.constant(o), fc.array(planArb(o.timeout), { maxLength: 12 }), fc.constantFrom(1, 3, Infinity)),
          ),
          async ([o, plans, maxConcurrent]) => {
            const calls = plans.map(() => 0);
            const promise = alcall(
              plans,
              (plan: Plan, { index, attempt, signal }) => {
                calls[index]!++;
                expect(attempt).toBe(calls[index]);
                return runAttempt(plan, index, attempt, signal);
              },
              { stopOnError: false, maxConcurrent, ...retryOptions(o) },
            );
            const outcome = await settle(promise);
            const wants = plans.map((plan) => expected(plan, o.numRetries));
            expect(calls).toEqual(wants.map((w) => w.attempts));
            const failed = wants.flatMap((w, i) => (w.ok || o.hasDefault ? [] : [i]));
            if (failed.length === 0) {
              expect(outcome.ok && outcome.value).toEqual(wants.map((w, i) => (w.ok ? `value ${i}` : DEFAULT)));
              return;
            }
            expect(outcome.ok).toBe(false);
            if (outcome.ok) return;
            expect(outcome.error).toBeInstanceOf(AggregateError);
            const errors = (outcome.error as AggregateError).errors;
            expect(errors).toHaveLength(failed.length);
            failed.forEach((index, k) => {
              const want = wants[index]!;
              if (want.lastAttempt === 'hang') expect(errors[k]).toBeInstanceOf(TimeoutError);
              else checkLastError(errors[k], index, want.attempts, want.lastAttempt);
            });
          },
        ),
        fcParams(),
      );
    },
    PROPERTY_TIMEOUT,
  );
});
