import { failAfter, sleep, taskGroup, TimeoutError } from '@lf/scope';
import { describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '@lf/test-support';
import { retry } from './retry.js';

type Outcome = { value: unknown } | { error: unknown };

function observe(promise: Promise<unknown>): { outcome: Outcome | undefined; done: Promise<unknown> } {
  const state: { outcome: Outcome | undefined; done: Promise<unknown> } = { outcome: undefined, done: Promise.resolve() };
  state.done = promise.then(
    (value) => (state.outcome = { value }),
    (error: unknown) => (state.outcome = { error }),
  );
  return state;
}

useFakeClock();

describe('retry is structured: it never settles while an attempt it started still runs', () => {
  it('does not settle before its timed-out attempt settled (the attempt ignores its signal)', async () => {
    let attemptSettled = false;
    const run = observe(
      retry(
        async () => {
          await sleep(100); // ignores the attempt signal
          attemptSettled = true;
        },
        { retryTimeout: 10 },
      ),
    );
    await vi.advanceTimersByTimeAsync(10);
    expect(run.outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(89);
    expect(run.outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await run.done;
    expect(attemptSettled).toBe(true);
    expect((run.outcome as { error: unknown }).error).toBeInstanceOf(TimeoutError);
  });

  it('aborts the attempt signal at the timeout, so a cooperative attempt ends at once', async () => {
    const run = observe(retry(({ signal }) => sleep(1000, { signal }), { retryTimeout: 10 }));
    await vi.advanceTimersByTimeAsync(10);
    expect((run.outcome as { error: unknown }).error).toBeInstanceOf(TimeoutError);
  });

  it('never overlaps attempts: the next attempt starts only after the timed-out one settled', async () => {
    let running = 0;
    let peak = 0;
    const starts: number[] = [];
    const run = observe(
      retry(
        async () => {
          starts.push(performance.now());
          running++;
          peak = Math.max(peak, running);
          await sleep(50); // ignores its signal: outlives the 10 ms timeout
          running--;
          throw new Error('slow failure');
        },
        { numRetries: 2, retryTimeout: 10 },
      ),
    );
    await vi.advanceTimersByTimeAsync(500);
    await run.done;
    expect(peak).toBe(1);
    expect(starts).toHaveLength(3);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(50);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(50);
  });

  it('waits for the attempt after the caller aborts, then rejects with signal.reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    let attemptSettled = false;
    const run = observe(
      retry(
        async () => {
          await sleep(100);
          attemptSettled = true;
          return 'value after the abort';
        },
        { signal: controller.signal, numRetries: 3 },
      ),
    );
    await vi.advanceTimersByTimeAsync(5);
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(50);
    expect(run.outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(45);
    await run.done;
    expect(attemptSettled).toBe(true);
    expect(run.outcome).toEqual({ error: reason });
  });

  it('a taskGroup child that uses retry leaves nothing running when the group settles', async () => {
    let attemptRunning = false;
    const failure = new Error('sibling failed');
    const group = observe(
      taskGroup((tg) => {
        tg.startSoon(() =>
          retry(
            async () => {
              attemptRunning = true;
              await sleep(100); // ignores the group's abort
              attemptRunning = false;
            },
            { signal: tg.signal, numRetries: 5 },
          ),
        );
        tg.startSoon(async () => {
          await sleep(10);
          throw failure;
        });
      }),
    );
    await vi.advanceTimersByTimeAsync(10);
    expect(attemptRunning).toBe(true);
    expect(group.outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(90);
    await group.done;
    expect(attemptRunning).toBe(false);
    expect((group.outcome as { error: AggregateError }).error.errors).toEqual([failure]);
  });

  it('a failAfter body that uses retry leaves nothing running when failAfter rejects', async () => {
    let attemptRunning = false;
    const run = observe(
      failAfter(10, ({ signal }) =>
        retry(
          async () => {
            attemptRunning = true;
            await sleep(100);
            attemptRunning = false;
          },
          { signal, numRetries: 5 },
        ),
      ),
    );
    await vi.advanceTimersByTimeAsync(10);
    expect(run.outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(90);
    await run.done;
    expect(attemptRunning).toBe(false);
    expect((run.outcome as { error: unknown }).error).toBeInstanceOf(TimeoutError);
  });
});

describe('retry: an abort always wins', () => {
  it('an abort made inside shouldRetry rejects with signal.reason (not the error, not retryDefault)', async () => {
    const reason = new Error('aborted in shouldRetry');
    for (const options of [{ numRetries: 3 }, { numRetries: 0, retryDefault: 'default' }, { numRetries: 3, retryDefault: 'default' }]) {
      const controller = new AbortController();
      const fn = vi.fn(() => Promise.reject(new Error('attempt failed')));
      const run = retry(fn, {
        ...options,
        signal: controller.signal,
        shouldRetry: () => {
          controller.abort(reason);
          return true;
        },
      });
      await expect(run).rejects.toBe(reason);
      expect(fn).toHaveBeenCalledTimes(1);
    }
  });

  it('an abort made inside shouldRetry wins over its false answer and over its own throw', async () => {
    const reason = new Error('aborted');
    const controller = new AbortController();
    await expect(
      retry(() => Promise.reject(new Error('x')), {
        numRetries: 1,
        signal: controller.signal,
        shouldRetry: () => {
          controller.abort(reason);
          return false;
        },
      }),
    ).rejects.toBe(reason);
    const second = new AbortController();
    await expect(
      retry(() => Promise.reject(new Error('x')), {
        numRetries: 1,
        signal: second.signal,
        shouldRetry: () => {
          second.abort(reason);
          throw new Error('shouldRetry broke');
        },
      }),
    ).rejects.toBe(reason);
  });

  it('an abort made inside onRetry rejects with signal.reason, without another attempt', async () => {
    const reason = new Error('aborted in onRetry');
    const controller = new AbortController();
    const fn = vi.fn(() => Promise.reject(new Error('x')));
    await expect(
      retry(fn, {
        numRetries: 3,
        signal: controller.signal,
        onRetry: () => {
          controller.abort(reason);
        },
      }),
    ).rejects.toBe(reason);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('an attempt that aborts the signal and then returns a value rejects with signal.reason', async () => {
    const controller = new AbortController();
    const reason = new Error('aborted by fn');
    await expect(
      retry(
        () => {
          controller.abort(reason);
          return 'value';
        },
        { signal: controller.signal },
      ),
    ).rejects.toBe(reason);
  });
});
