import { describe, expect, it } from 'vitest';
import { retry } from './retry.js';

describe('retry yields to the event loop between attempts that have no delay', () => {
  it('an endless retry of instant failures with no delay can be stopped by AbortSignal.timeout', async () => {
    const signal = AbortSignal.timeout(20);
    let attempts = 0;
    const run = retry(
      () => {
        attempts++;
        return Promise.reject(new Error('instant failure'));
      },
      {
        numRetries: Infinity,
        signal,
        // Without the yield the timer never fires: stop the runaway loop so the test fails instead of hanging.
        shouldRetry: () => attempts < 2_000_000,
      },
    );
    const error = await run.catch((e: unknown) => e);
    expect(signal.aborted).toBe(true);
    expect(error).toBe(signal.reason);
  }, 30_000);

  it('still yields when fn throws synchronously', async () => {
    const signal = AbortSignal.timeout(20);
    let attempts = 0;
    const error = await retry(
      () => {
        attempts++;
        throw new Error('sync failure');
      },
      { numRetries: Infinity, signal, shouldRetry: () => attempts < 2_000_000 },
    ).catch((e: unknown) => e);
    expect(error).toBe(signal.reason);
  }, 30_000);
});
