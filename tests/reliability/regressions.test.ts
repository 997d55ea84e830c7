/**
 * Regression tests for the bugs the reliability hunt found, each named after
 * the bug (the shrunk fast-check counterexample, written out by hand).
 * See docs/RELIABILITY.md, "Bugs found".
 */
import { describe, expect, it } from 'vitest';
import { useFakeClock } from '@lf/test-support';
import { alcall } from '@lf/alcall';
import { Throttle } from '@lf/throttle';
import { Log, settle, work } from './harness.js';

useFakeClock();

describe('bug: alcall with retry options settles while calls it started are still running', () => {
  it('with stopOnError, waits for a running call that ignores its signal before rejecting (numRetries)', async () => {
    const log = new Log();
    const boom = new Error('boom');
    const promise = alcall(
      [0, 1],
      (item: number, { signal }) =>
        log.track(item, async () => {
          if (item === 0) throw boom;
          await work(10, signal, 'stubborn'); // finishes its 10 ms whatever happens
        }),
      { numRetries: 1 },
    );
    const outcome = await settle(promise);
    expect(outcome).toMatchObject({ ok: false, error: boom });
    expect(log.running).toBe(0); // fails: item 1 is still running when alcall rejects
    expect(outcome.at).toBe(10);
  });

  it('on an abort, waits for a call that needs time to clean up (retryTimeout)', async () => {
    const log = new Log();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 5);
    const promise = alcall([0], (item: number, { signal }) => log.track(item, () => work(100, signal, 'cleanup', 3)), {
      retryTimeout: 1000,
      signal: controller.signal,
    });
    const outcome = await settle(promise);
    expect(outcome).toMatchObject({ ok: false, error: { message: 'stop' } });
    expect(log.running).toBe(0); // fails: the call is still cleaning up when alcall rejects
    expect(outcome.at).toBe(8);
  });
});

describe('bug: a RateLimiter/Throttle waiter whose signal aborts is admitted when an earlier waiter on the same signal leaves', () => {
  it('Throttle.acquire rejects every waiter of an aborted signal, none resolves', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    // The abort is due at t = 10, like the first waiter's slot (its timer is armed later, so fires after).
    setTimeout(() => controller.abort(reason), 10);
    const throttle = new Throttle(10);
    await throttle.acquire(); // takes the slot at t = 0: the next ones wait
    const first = settle(throttle.acquire({ signal: controller.signal }));
    const second = settle(throttle.acquire({ signal: controller.signal }));
    // fails: the first waiter's abort listener gives its due slot to the second
    // waiter, and removes that waiter's own abort listener before it could run.
    expect(await first).toMatchObject({ ok: false, error: reason });
    expect(await second).toMatchObject({ ok: false, error: reason });
    expect(throttle.pendingCount).toBe(0);
  });

  it('alcall with throttlePeriod never calls fn with an already-aborted signal', async () => {
    const controller = new AbortController();
    const started: { index: number; aborted: boolean }[] = [];
    setTimeout(() => controller.abort(new Error('stop')), 2); // item 1's slot is due at t = 2 too
    const promise = alcall(
      [0, 1, 2],
      (item: number, { signal }) => {
        started.push({ index: item, aborted: signal.aborted });
        return work(5, signal, 'cooperative');
      },
      { throttlePeriod: 2, signal: controller.signal },
    );
    const outcome = await settle(promise);
    expect(outcome).toMatchObject({ ok: false, error: { message: 'stop' } });
    expect(started).toEqual([{ index: 0, aborted: false }]); // fails: item 2 starts with an aborted signal
  });
});
