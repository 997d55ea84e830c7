/**
 * Hygiene: 1e5 calls each of retry, alcall, Throttle.acquire, Limiter.run /
 * schedule and CancelScope.run against ONE long-lived AbortSignal leave no
 * listener on it (node's getEventListeners), and no timer behind.
 */
import { getEventListeners, setMaxListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { alcall } from '@lf/alcall';
import { Limiter } from '@lf/limit';
import { retry } from '@lf/retry';
import { CancelScope, sleep } from '@lf/scope';
import { raceSignal } from '@lf/scope/internal';
import { Throttle } from '@lf/throttle';
import { FAKE_TIMERS, drain } from './harness.js';

const N = 100_000;
/** Calls in flight at once: listeners pile up while they wait, and must all go. */
const WAVE = 1000;

function longLived(): AbortSignal {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal); // WAVE waiters listen at once on purpose
  return controller.signal;
}

const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length;

/**
 * Runs `call(i, sample)` N times, WAVE at a time, checking the signal's
 * listeners after each wave. `sample()` (called from inside the work) records
 * how many listeners there are while calls are in flight.
 */
async function inWaves(signal: AbortSignal, call: (i: number, sample: () => void) => Promise<unknown>): Promise<void> {
  let peak = 0;
  const sample = (): void => {
    peak = Math.max(peak, listeners(signal));
  };
  for (let start = 0; start < N; start += WAVE) {
    const wave: Promise<unknown>[] = [];
    for (let i = start; i < start + WAVE; i++) wave.push(call(i, sample));
    sample();
    await Promise.all(wave);
    expect(listeners(signal)).toBe(0);
  }
  expect(peak).toBeGreaterThan(0); // the calls did listen while they waited
}

afterEach(() => {
  vi.useRealTimers();
});

// 1e5 calls each: seconds on a quiet machine, several times that while CI runs the other projects in parallel.
/**
 * A time limit proportional to the work: 3 ms of real time per call (300 s for
 * 1e5). Alone, the heaviest test needs about 0.1 ms per call (10 s); with
 * the full suite and busy neighbours on two cores, many times that.
 */
const TIMEOUT = N * 3;

describe('1e5 calls against one long-lived signal leave 0 listeners on it', { timeout: TIMEOUT }, () => {
  it('retry (a failed attempt, a retry, a retryTimeout armed on each attempt)', async () => {
    const signal = longLived();
    await inWaves(signal, (i) =>
      retry(
        ({ attempt, signal: s }) => (attempt === 1 && i % 2 === 0 ? Promise.reject(new Error('again')) : raceSignal(Promise.resolve(i), s)),
        {
          numRetries: 1,
          retryTimeout: 60_000,
          signal,
        },
      ),
    );
  });

  it('alcall (with retries, a retryTimeout and a concurrency limit)', async () => {
    const signal = longLived();
    await inWaves(signal, (i, sample) =>
      alcall(
        [i],
        (x: number, { attempt, signal: s }) => {
          sample();
          return attempt === 1 && x % 3 === 0 ? Promise.reject(new Error('again')) : sleep(0, { signal: s }).then(() => x);
        },
        {
          numRetries: 1,
          retryTimeout: 60_000,
          maxConcurrent: 1,
          signal,
        },
      ),
    );
  });

  it('Throttle.acquire (every waiter queued with the signal)', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const signal = longLived();
    const throttle = new Throttle(1);
    let peak = 0;
    for (let start = 0; start < N; start += WAVE) {
      const wave: Promise<unknown>[] = [];
      for (let i = 0; i < WAVE; i++) wave.push(throttle.acquire({ signal }));
      peak = Math.max(peak, listeners(signal));
      // One slot per ms; a RateLimiter decides its next release only after the previous one's
      // continuation has run (microtasks), so each ms is followed by a drain.
      for (let ms = 0; ms < WAVE; ms++) {
        vi.advanceTimersByTime(1);
        await drain();
      }
      await Promise.all(wave);
      expect(listeners(signal)).toBe(0);
    }
    // The waiters listened while they waited, all through ONE listener (@lf/scope's onAbort multiplexes).
    expect(peak).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('Limiter.run (the call races the signal) and Limiter.schedule (queued with the signal)', async () => {
    const signal = longLived();
    const limiter = new Limiter(4);
    await inWaves(signal, (i) =>
      i % 2 === 0
        ? limiter.run((s: AbortSignal) => raceSignal(Promise.resolve(i), s), signal)
        : limiter.schedule(({ signal: s }) => raceSignal(Promise.resolve(i), s), { signal }),
    );
    expect(limiter.activeCount + limiter.pendingCount).toBe(0);
  });

  it('CancelScope.run (a 60 s timeout, the signal as parent)', async () => {
    const signal = longLived();
    await inWaves(signal, (i) => new CancelScope({ timeout: 60_000, signal }).run(({ signal: s }) => raceSignal(Promise.resolve(i), s)));
  });
});
