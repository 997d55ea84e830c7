import { describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '@lf/test-support';
import { retry } from './retry.js';
import type { RetryOptions } from './options.js';

useFakeClock();

/** Runs a retry whose attempts take `latency` ms and fail; returns the attempt start times (relative) and the outcome. */
async function run(options: RetryOptions, latency = 0): Promise<{ starts: number[]; outcome: unknown }> {
  const t0 = performance.now();
  const starts: number[] = [];
  const promise = retry(async ({ attempt }) => {
    starts.push(performance.now() - t0);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    throw new Error(`attempt ${attempt}`);
  }, options).then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await vi.runAllTimersAsync();
  return { starts, outcome: await promise };
}

describe('maxRetryTime: a budget from the first attempt start', () => {
  it('makes no wait that would end after the budget: throws the last error instead', async () => {
    const { starts, outcome } = await run({ numRetries: 10, retryDelay: 100, maxRetryTime: 250 });
    expect(starts).toEqual([0, 100, 200]); // a third wait would end at 300 > 250
    expect(outcome).toEqual({ error: new Error('attempt 3') });
  });

  it('counts the time the attempts take, not only the waits', async () => {
    const { starts } = await run({ numRetries: 10, retryDelay: 50, maxRetryTime: 300 }, 60);
    // starts at 0, 110, 220; after the third attempt (ends at 280) a 50 ms wait would end at 330
    expect(starts).toEqual([0, 110, 220]);
  });

  it('starts no attempt after the budget (a slow onRetry ate it)', async () => {
    const { starts, outcome } = await run({
      numRetries: 10,
      maxRetryTime: 100,
      onRetry: () => new Promise((resolve) => setTimeout(resolve, 150)),
    });
    expect(starts).toEqual([0]);
    expect(outcome).toEqual({ error: new Error('attempt 1') });
  });

  it('resolves retryDefault when the budget runs out and the key is present', async () => {
    const { outcome } = await run({ numRetries: 10, retryDelay: 100, maxRetryTime: 150, retryDefault: 'budget spent' });
    expect(outcome).toEqual({ value: 'budget spent' });
  });

  it('a wait ending exactly at the budget is made', async () => {
    const { starts } = await run({ numRetries: 10, retryDelay: 100, maxRetryTime: 200 });
    expect(starts).toEqual([0, 100, 200]);
  });

  it('maxRetryTime: 0 allows the first attempt only (no-delay retries included)', async () => {
    const { starts } = await run({ numRetries: 5, maxRetryTime: 0 }, 1);
    expect(starts).toEqual([0]);
  });

  it('Infinity (the default) sets no budget', async () => {
    const { starts } = await run({ numRetries: 3, retryDelay: 1000, maxRetryTime: Infinity });
    expect(starts).toEqual([0, 1000, 2000, 3000]);
  });

  it('is validated before any attempt: a number >= 0', () => {
    const fn = vi.fn();
    expect(() => retry(fn, { maxRetryTime: -1 })).toThrow(new RangeError('retry: maxRetryTime must be >= 0 (got -1)'));
    expect(() => retry(fn, { maxRetryTime: Number.NaN })).toThrow(RangeError);
    expect(() => retry(fn, { maxRetryTime: '100' as never })).toThrow(TypeError);
    expect(fn).not.toHaveBeenCalled();
  });
});

// p-retry's maxRetryTime cases, in lf's words (p-retry `test/index.js`: "maxRetryTime").
describe("port: p-retry's maxRetryTime cases", () => {
  it('stops retrying once the time is up, with attempts that take time and a fixed wait', async () => {
    // p-retry: minTimeout 0, each attempt 100 ms, maxRetryTime 1000: about 10 attempts, then the last error.
    const { starts, outcome } = await run({ numRetries: 100, maxRetryTime: 1000 }, 100);
    expect(starts.length).toBeGreaterThanOrEqual(9);
    expect(starts.length).toBeLessThanOrEqual(11);
    expect(starts.at(-1)!).toBeLessThanOrEqual(1000);
    expect(outcome).toEqual({ error: new Error(`attempt ${starts.length}`) });
  });

  it('a retry count reached first still ends the run (whichever limit comes first)', async () => {
    const { starts } = await run({ numRetries: 2, retryDelay: 10, maxRetryTime: 10_000 });
    expect(starts).toHaveLength(3);
  });

  it('maxRetryTime does not cut a running attempt short', async () => {
    const { starts, outcome } = await run({ numRetries: 5, maxRetryTime: 50 }, 500);
    expect(starts).toEqual([0]);
    expect(outcome).toEqual({ error: new Error('attempt 1') });
  });
});
