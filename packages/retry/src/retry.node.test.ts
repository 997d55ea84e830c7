import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { retry } from './retry.js';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
process.on('unhandledRejection', onUnhandled);
afterEach(() => {
  unhandled.length = 0;
});

/** An attempt that rejects with its signal's reason as soon as the signal aborts. */
function abortable(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

/** Lets Node run its unhandled-rejection check (it runs after the microtask queue drains). */
function macrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}

describe('retry leaves nothing behind (Node)', () => {
  it('removes its listeners from the caller signal after success, failure, retries and timeouts', async () => {
    const controller = new AbortController();
    const { signal } = controller;
    await retry(() => 'ok', { signal });
    await retry(() => 'ok', { signal, retryTimeout: 1000 });
    await expect(retry(() => Promise.reject(new Error('x')), { signal, numRetries: 2, retryDelay: 1 })).rejects.toThrow('x');
    await expect(
      retry(({ signal: attempt }) => abortable(attempt), { signal, numRetries: 1, retryTimeout: 5, retryDelay: 1 }),
    ).rejects.toThrow(/timed out/);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('removes its listeners when the caller aborts during an attempt', async () => {
    const controller = new AbortController();
    const { signal } = controller;
    const run = retry(({ signal: attempt }) => abortable(attempt), { signal, retryTimeout: 10_000 });
    await macrotask();
    expect(getEventListeners(signal, 'abort').length).toBeGreaterThan(0);
    controller.abort(new Error('stop'));
    await expect(run).rejects.toThrow('stop');
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('never leaves an unhandled rejection from an abandoned attempt', async () => {
    const controller = new AbortController();
    const timedOut = retry(() => new Promise((_, reject) => setTimeout(() => reject(new Error('late after timeout')), 20)), {
      retryTimeout: 5,
      retryDefault: null,
    });
    const aborted = retry(() => new Promise((_, reject) => setTimeout(() => reject(new Error('late after abort')), 20)), {
      signal: controller.signal,
    });
    const abortedError = aborted.catch((error: unknown) => error); // handled at once: only retry's own promises are under test
    controller.abort(new Error('stop'));
    await expect(timedOut).resolves.toBeNull();
    expect(await abortedError).toMatchObject({ message: 'stop' });
    await new Promise((resolve) => setTimeout(resolve, 40));
    await macrotask();
    expect(unhandled).toEqual([]);
  });
});

describe('retry: concurrent calls do not share a signal', () => {
  it('32 concurrent retries listening on their attempt signal trigger no MaxListenersExceededWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on('warning', onWarning);
    try {
      const signals = await Promise.all(
        Array.from({ length: 32 }, () =>
          retry(async ({ signal }) => {
            signal.addEventListener('abort', () => undefined);
            await new Promise((resolve) => setTimeout(resolve, 1));
            return signal;
          }),
        ),
      );
      expect(new Set(signals).size).toBe(32);
      await new Promise((resolve) => setTimeout(resolve, 10)); // warnings are emitted on a later tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
