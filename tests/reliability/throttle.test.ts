/**
 * Property 6: Throttle starts are spaced by at least `period` (exactly the
 * drift-free schedule `start[k] = max(request[k], start[k-1] + period)` when
 * nobody aborts), a RateLimiter never admits more than `limit` in any window
 * of `interval`, and alcall's `throttlePeriod` spaces the starts of items.
 *
 * With fake timers, timers fire on time, so @lf/throttle's 1 ms slack for
 * late timers never applies and the rules are exact.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '@lf/test-support';
import { alcall } from '@lf/alcall';
import { RateLimiter, Throttle, throttle } from '@lf/throttle';
import { PROPERTY_TIMEOUT, fcParams, runOut, settle } from './harness.js';

useFakeClock();

/** Requests: when each `acquire` is made, and (maybe) when its own signal aborts. */
const requestsArb = fc.array(
  fc.record({ at: fc.integer({ min: 0, max: 60 }), abortAfter: fc.option(fc.integer({ min: 0, max: 30 }), { freq: 4, nil: undefined }) }),
  { maxLength: 25 },
);

interface Admission {
  id: number;
  requested: number;
  admitted: number;
}

/** Makes the requests on the fake clock; resolves the admissions (in admission order) and the aborted ids. */
async function drive(limiter: RateLimiter, requests: { at: number; abortAfter: number | undefined }[], useAborts: boolean) {
  const admissions: Admission[] = [];
  const aborted: number[] = [];
  const order = [...requests.entries()].sort((a, b) => a[1].at - b[1].at || a[0] - b[0]);
  const all: Promise<void>[] = [];
  const made = new Promise<void>((resolve) => {
    let left = order.length;
    if (left === 0) resolve();
    for (const [id, r] of order) {
      setTimeout(() => {
        const controller = useAborts && r.abortAfter !== undefined ? new AbortController() : undefined;
        if (controller) setTimeout(() => controller.abort(new Error(`abort ${id}`)), r.abortAfter);
        const requested = performance.now();
        all.push(
          limiter.acquire({ signal: controller?.signal }).then(
            () => {
              admissions.push({ id, requested, admitted: performance.now() });
            },
            (error: unknown) => {
              expect(error).toMatchObject({ message: `abort ${id}` });
              aborted.push(id);
            },
          ),
        );
        if (--left === 0) resolve();
      }, r.at);
    }
  });
  const outcome = await settle(made.then(() => Promise.all(all)));
  expect(outcome.ok).toBe(true);
  await runOut();
  expect(admissions.length + aborted.length).toBe(requests.length);
  return { admissions, aborted };
}

describe('property 6: throttle and rate limiter admissions', () => {
  it(
    'Throttle: starts follow the drift-free schedule max(request, previous start + period), in FIFO order',
    async () => {
      await fc.assert(
        fc.asyncProperty(requestsArb, fc.integer({ min: 1, max: 10 }), async (requests, period) => {
          const { admissions } = await drive(new Throttle(period), requests, false);
          let previous = -Infinity;
          for (const a of admissions) {
            expect(a.admitted).toBe(Math.max(a.requested, previous + period));
            previous = a.admitted;
          }
          const fifo = [...admissions].sort((x, y) => x.requested - y.requested);
          expect(admissions.map((a) => a.id)).toEqual(fifo.map((a) => a.id));
        }),
        fcParams(),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'RateLimiter: never more than `limit` admissions in any window of `interval`, with waiters aborting',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          requestsArb,
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 1, max: 15 }),
          fc.boolean(),
          async (requests, limit, interval, useAborts) => {
            const { admissions } = await drive(new RateLimiter({ limit, interval }), requests, useAborts);
            const times = admissions.map((a) => a.admitted);
            for (let i = 0; i + limit < times.length; i++) {
              expect(times[i + limit]! - times[i]!).toBeGreaterThanOrEqual(interval);
            }
            if (!useAborts) {
              // Work-conserving: each admission is as early as the window allows.
              admissions.forEach((a, k) => {
                const windowFree = k >= limit ? admissions[k - limit]!.admitted + interval : -Infinity;
                expect(a.admitted).toBe(Math.max(a.requested, windowFree, k > 0 ? admissions[k - 1]!.admitted : -Infinity));
              });
            }
          },
        ),
        fcParams(),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'throttle(period)(fn) and alcall throttlePeriod space the starts of calls by >= period',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 15 }),
          fc.integer({ min: 1, max: 10 }),
          fc.boolean(),
          async (latencies, period, viaAlcall) => {
            const starts: number[] = [];
            const fn = (latency: number): Promise<number> => {
              starts.push(performance.now());
              return new Promise((resolve) => setTimeout(() => resolve(latency), latency));
            };
            const promise = viaAlcall
              ? alcall(latencies, (latency: number) => fn(latency), { throttlePeriod: period, maxConcurrent: 3 })
              : Promise.all(latencies.map(throttle(period)(fn)));
            const outcome = await settle(promise);
            expect(outcome.ok && outcome.value).toEqual(latencies);
            for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(period);
            expect(vi.getTimerCount()).toBe(0);
          },
        ),
        fcParams(),
      );
    },
    PROPERTY_TIMEOUT,
  );
});
