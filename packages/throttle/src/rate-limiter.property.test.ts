import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { drain, useFakeClock, windowsOver } from '@lf/test-support';
import type { Grant } from './limits.js';
import { RateLimiter } from './rate-limiter.js';

/** A scenario: two named limits, then steps `dt` ms of fake time apart (requests, stalls, pauses, refunds). */
const scenario = fc.record({
  a: fc.record({ limit: fc.integer({ min: 1, max: 5 }), interval: fc.integer({ min: 1, max: 40 }) }),
  b: fc.record({ limit: fc.integer({ min: 1, max: 12 }), interval: fc.integer({ min: 1, max: 60 }) }),
  steps: fc.array(
    fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({
          kind: fc.constant('request' as const),
          dt: fc.integer({ min: 0, max: 15 }),
          a: fc.option(fc.nat(), { nil: undefined }),
          b: fc.option(fc.nat(), { nil: undefined }),
          abortAfter: fc.option(fc.integer({ min: 0, max: 40 }), { freq: 3, nil: undefined }),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('stall' as const),
          dt: fc.integer({ min: 0, max: 15 }),
          ms: fc.integer({ min: 1, max: 120 }),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('pause' as const),
          dt: fc.integer({ min: 0, max: 15 }),
          ms: fc.integer({ min: 0, max: 50 }),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('refund' as const),
          dt: fc.integer({ min: 0, max: 15 }),
          pick: fc.nat(),
          fraction: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
      },
    ),
    { maxLength: 30 },
  ),
});

describe('RateLimiter property: random costs, stalls, pauses, refunds and aborts', () => {
  let lag = 0;
  useFakeClock();
  beforeEach(() => {
    const fakeNow = performance.now.bind(performance);
    vi.spyOn(performance, 'now').mockImplementation(() => fakeNow() + lag); // a stall moves the clock, fires no timer
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('never exceeds any window of any limit, never reorders, and (with no stall, pause or refund) releases as soon as the windows allow', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ a, b, steps }) => {
        lag = 0;
        const limiter = new RateLimiter({ limits: { b, a } }); // given out of order: the limiter sorts them (a, b)
        const limits = [a, b];
        interface Req {
          id: number;
          requested: number;
          costs: [number, number];
          aborted: number | undefined;
        }
        const requests: Req[] = [];
        const released: { id: number; at: number; costs: number[]; grant: Grant }[] = [];
        const pending: Promise<void>[] = [];
        let plain = true; // no stall, pause or refund: the exact release times are known
        for (const step of steps) {
          await vi.advanceTimersByTimeAsync(step.dt);
          if (step.kind === 'stall') {
            lag += step.ms;
            plain = false;
          } else if (step.kind === 'pause') {
            limiter.pause(step.ms);
            plain = false;
          } else if (step.kind === 'refund') {
            const r = released[step.pick % Math.max(1, released.length)];
            if (r !== undefined) {
              const costs = r.costs.map((c) => Math.floor(c * step.fraction));
              r.grant.settle({ a: costs[0] ?? 0, b: costs[1] ?? 0 });
              r.costs = costs;
              plain = false;
            }
          } else {
            const id = requests.length;
            const costA = step.a === undefined ? undefined : step.a % (a.limit + 1);
            const costB = step.b === undefined ? undefined : step.b % (b.limit + 1);
            const cost: Record<string, number> = {};
            if (costA !== undefined) cost.a = costA;
            if (costB !== undefined) cost.b = costB;
            const req: Req = { id, requested: performance.now(), costs: [costA ?? 1, costB ?? 1], aborted: undefined };
            requests.push(req);
            const controller = step.abortAfter === undefined ? undefined : new AbortController();
            if (controller !== undefined) {
              setTimeout(() => {
                req.aborted = performance.now();
                controller.abort(new Error(`abort ${id}`));
              }, step.abortAfter);
            }
            pending.push(
              limiter.acquire({ cost, signal: controller?.signal }).then(
                (grant) => {
                  req.aborted = undefined; // released before its abort: the abort came too late
                  released.push({ id, at: grant.at, costs: [...req.costs], grant });
                },
                (error: unknown) => {
                  expect(error).toMatchObject({ message: `abort ${id}` });
                },
              ),
            );
          }
        }
        await vi.advanceTimersByTimeAsync(100_000);
        await drain();
        await Promise.all(pending);
        expect(limiter.pendingCount).toBe(0);
        expect(vi.getTimerCount()).toBe(0);

        // Safety: every window of every limit, on the release clock, exact.
        expect(windowsOver(released, limits)).toEqual([]);
        // FIFO: released in request order, at non-decreasing times.
        expect(released.map((r) => r.id)).toEqual([...released.map((r) => r.id)].sort((x, y) => x - y));
        released.forEach((r, k) => {
          if (k > 0) expect(r.at).toBeGreaterThanOrEqual(released[k - 1]?.at ?? 0);
        });
        // Every request was released or aborted.
        const releasedIds = new Set(released.map((r) => r.id));
        for (const req of requests) expect(releasedIds.has(req.id) || req.aborted !== undefined).toBe(true);

        if (plain) {
          // Work-conserving: each release at max(request, previous release, window free, the aborts of those ahead of it).
          released.forEach((r, k) => {
            const req = requests[r.id];
            if (req === undefined) throw new Error('unknown request');
            let expected = Math.max(req.requested, k > 0 ? (released[k - 1]?.at ?? 0) : -Infinity);
            limits.forEach(({ limit, interval }, li) => {
              const cost = r.costs[li] ?? 1;
              if (cost === 0) return;
              const before = released.slice(0, k);
              const fits = (t: number): boolean =>
                before.reduce((sum, p) => (t < p.at + interval ? sum + (p.costs[li] ?? 1) : sum), 0) + cost <= limit;
              const candidates = [expected, ...before.map((p) => p.at + interval)].filter((t) => t >= expected).sort((x, y) => x - y);
              const free = candidates.find(fits);
              expected = Math.max(expected, free ?? expected);
            });
            for (const ahead of requests.slice(0, r.id)) {
              if (ahead.aborted !== undefined && ahead.aborted > expected && !releasedIds.has(ahead.id)) expected = ahead.aborted;
            }
            expect(r.at).toBe(expected);
          });
        }
      }),
      { numRuns: 1000, seed: 20_261_201 },
    );
  }, 120_000);
});
