import { CancelledError, TimeoutError } from '@lf/scope';
import { describe, expect, it, vi } from 'vitest';
import { scripted, useFakeClock } from '@lf/test-support';
import { retry } from './retry.js';
import type { Jitter, RetryContext, RetryOptions } from './options.js';

type Outcome = { value: unknown } | { error: unknown };

/** Observes a promise without leaving its rejection unhandled. */
function settle(promise: Promise<unknown>): { outcome: Outcome | undefined; done: Promise<Outcome> } {
  const state: { outcome: Outcome | undefined; done: Promise<Outcome> } = { outcome: undefined, done: undefined as never };
  state.done = promise.then(
    (value) => (state.outcome = { value }),
    (error: unknown) => (state.outcome = { error }),
  );
  return state;
}

/** Runs a retry whose every attempt fails; returns the clock time at which each attempt started. */
async function attemptTimes(options: RetryOptions): Promise<number[]> {
  const times: number[] = [];
  const run = settle(
    retry(() => {
      times.push(performance.now());
      throw new Error('fail');
    }, options),
  );
  await vi.runAllTimersAsync();
  await run.done;
  return times;
}

/** An attempt that cooperates: it rejects with the signal's reason as soon as its signal aborts. */
function abortable(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]!);
}

useFakeClock();

describe('retry: attempts and results', () => {
  it('resolves the first success without retrying, starting no timer', async () => {
    const fn = vi.fn(() => 42);
    await expect(retry(fn, { numRetries: 3 })).resolves.toBe(42);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('makes numRetries + 1 attempts numbered from 1, then throws the last error itself', async () => {
    const errors = [new Error('a'), new Error('b'), new Error('c')];
    const seen: number[] = [];
    const promise = retry(
      ({ attempt }) => {
        seen.push(attempt);
        throw errors[attempt - 1];
      },
      { numRetries: 2 },
    );
    await expect(promise).rejects.toBe(errors[2]);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('throws non-Error values unwrapped, as they were thrown', async () => {
    await expect(retry(() => Promise.reject('plain string'), { numRetries: 1 })).rejects.toBe('plain string');
  });

  it('retries until success, and handles sync and async fns alike', async () => {
    let calls = 0;
    await expect(
      retry(
        () => {
          calls++;
          if (calls < 3) throw new Error('sync failure');
          return Promise.resolve('ok');
        },
        { numRetries: 5 },
      ),
    ).resolves.toBe('ok');
    expect(calls).toBe(3);
  });

  it('keeps retrying with numRetries: Infinity', async () => {
    let calls = 0;
    const result = retry(
      async () => {
        calls++;
        if (calls < 200) throw new Error('not yet');
        return calls;
      },
      { numRetries: Infinity },
    );
    await expect(result).resolves.toBe(200);
  });
});

describe('retry: retryDefault presence', () => {
  it('throws the last error when the retryDefault key is absent', async () => {
    const error = new Error('boom');
    await expect(retry(() => Promise.reject(error), {})).rejects.toBe(error);
  });

  it('returns undefined when retryDefault is present with the value undefined', async () => {
    const fn = vi.fn(() => Promise.reject(new Error('boom')));
    await expect(retry(fn, { numRetries: 1, retryDefault: undefined })).resolves.toBeUndefined();
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('returns null or any value given as retryDefault after the last failure', async () => {
    await expect(retry(() => Promise.reject(new Error('x')), { retryDefault: null })).resolves.toBeNull();
    const fallback = { cached: true };
    await expect(retry(() => Promise.reject(new Error('x')), { retryDefault: fallback })).resolves.toBe(fallback);
  });

  it('returns the real value, not the default, when an attempt succeeds', async () => {
    await expect(retry(() => 'real', { retryDefault: 'default' })).resolves.toBe('real');
  });
});

describe('retry: delays', () => {
  it('waits retryDelay before the first retry, multiplying by backoffFactor after each retry', async () => {
    const times = await attemptTimes({ numRetries: 4, retryDelay: 100, backoffFactor: 2 });
    expect(gaps(times)).toEqual([100, 200, 400, 800]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not start the next attempt a moment before its delay is over', async () => {
    const fn = vi.fn(() => Promise.reject(new Error('x')));
    const run = settle(retry(fn, { numRetries: 1, retryDelay: 100 }));
    await vi.advanceTimersByTimeAsync(99);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fn).toHaveBeenCalledTimes(2);
    await run.done;
  });

  it('caps the waits at maxDelay', async () => {
    const times = await attemptTimes({ numRetries: 5, retryDelay: 100, backoffFactor: 3, maxDelay: 1000 });
    expect(gaps(times)).toEqual([100, 300, 900, 1000, 1000]);
  });

  const jitterCases: [Jitter, number[], number[]][] = [
    ['none', [0.3], [100, 200, 400, 500]],
    ['full', [0.5, 0.1, 1, 0.5], [50, 20, 400, 250]],
    ['equal', [0, 0.5, 1, 0.2], [50, 150, 400, 300]],
    // random(100, prev*6): 0.5 -> 100+0.5*500=350; 0 -> 100; 1 -> 600; 1 -> min(500, 3600) = 500
    ['decorrelated', [0.5, 0, 1, 1], [350, 100, 500, 500]],
  ];

  it.each(jitterCases)('applies %s jitter with the injected random source', async (jitter, randoms, expected) => {
    const times = await attemptTimes({
      numRetries: 4,
      retryDelay: 100,
      backoffFactor: 2,
      maxDelay: 500,
      jitter,
      random: scripted(...randoms),
    });
    expect(gaps(times)).toEqual(expected);
  });

  it('uses Math.random when no random source is given', async () => {
    const spy = vi.spyOn(Math, 'random').mockReturnValue(0.25);
    try {
      const times = await attemptTimes({ numRetries: 1, retryDelay: 100, jitter: 'full' });
      expect(gaps(times)).toEqual([25]);
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('retries with no timer at all when the delay is 0', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    let calls = 0;
    await expect(
      retry(
        () => {
          if (++calls < 3) throw new Error('x');
          return calls;
        },
        { numRetries: 3 },
      ),
    ).resolves.toBe(3);
    expect(setTimeoutSpy).not.toHaveBeenCalled();
    setTimeoutSpy.mockRestore();
  });
});

describe('retry: retryTiming', () => {
  it('resolves [value, elapsedMs] covering every attempt and wait', async () => {
    let calls = 0;
    const run = settle(
      retry(
        async () => {
          await new Promise((resolve) => setTimeout(resolve, 30));
          if (++calls < 3) throw new Error('slow failure');
          return 'done';
        },
        { numRetries: 2, retryDelay: 100, retryTiming: true },
      ),
    );
    await vi.advanceTimersByTimeAsync(30 + 100 + 30 + 100 + 30);
    expect(run.outcome).toEqual({ value: ['done', 290] });
  });

  it('resolves [retryDefault, elapsedMs] when every attempt failed', async () => {
    const run = settle(
      retry(() => Promise.reject(new Error('x')), { numRetries: 1, retryDelay: 50, retryDefault: null, retryTiming: true }),
    );
    await vi.advanceTimersByTimeAsync(50);
    expect(run.outcome).toEqual({ value: [null, 50] });
  });
});

describe('retry: retryTimeout', () => {
  it('aborts a slow attempt at the timeout and fails it with that TimeoutError once it settled', async () => {
    const signals: AbortSignal[] = [];
    const run = settle(
      retry(
        ({ signal }) => {
          signals.push(signal);
          return abortable(signal); // settles (rejects) when its signal aborts
        },
        { retryTimeout: 50 },
      ),
    );
    await vi.advanceTimersByTimeAsync(49);
    expect(run.outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(run.outcome).toBeDefined();
    const { error } = run.outcome as { error: unknown };
    expect(error).toBeInstanceOf(TimeoutError);
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[0]!.reason).toBe(error);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('counts a timed-out attempt as a failed attempt and retries it with a fresh signal', async () => {
    const signals: AbortSignal[] = [];
    const onRetry = vi.fn();
    const run = settle(
      retry(
        ({ attempt, signal }) => {
          signals.push(signal);
          return attempt === 1 ? abortable(signal) : 'second try';
        },
        { numRetries: 1, retryTimeout: 100, retryDelay: 10, onRetry },
      ),
    );
    await vi.advanceTimersByTimeAsync(110);
    expect(run.outcome).toEqual({ value: 'second try' });
    expect(onRetry).toHaveBeenCalledWith(expect.any(TimeoutError), 1, 10);
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[1]!.aborted).toBe(false);
    expect(signals[1]).not.toBe(signals[0]);
  });

  it('clears the timeout timer when an attempt settles in time (a 60 s timeout does not linger)', async () => {
    await expect(retry(() => Promise.resolve('fast'), { retryTimeout: 60_000 })).resolves.toBe('fast');
    expect(vi.getTimerCount()).toBe(0);
    await expect(retry(() => Promise.reject(new Error('fast')), { retryTimeout: 60_000 })).rejects.toThrow('fast');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits for a timed-out attempt that ignores its signal, then counts it as failed with the TimeoutError', async () => {
    const late = new Error('late');
    const run = settle(
      retry(() => new Promise((_, reject) => setTimeout(() => reject(late), 100)), { retryTimeout: 10, retryDefault: 'gave up' }),
    );
    await vi.advanceTimersByTimeAsync(99);
    expect(run.outcome).toBeUndefined(); // the attempt still runs: retry does not settle
    await vi.advanceTimersByTimeAsync(1);
    expect(run.outcome).toEqual({ value: 'gave up' });
    const timedOut = settle(retry(() => new Promise((_, reject) => setTimeout(() => reject(late), 100)), { retryTimeout: 10 }));
    await vi.advanceTimersByTimeAsync(100);
    expect((timedOut.outcome as { error: unknown }).error).toBeInstanceOf(TimeoutError); // not the late error
  });

  it('treats retryTimeout: Infinity as no timeout: no timer is armed and the attempt is never aborted', async () => {
    vi.useFakeTimers();
    try {
      let captured: AbortSignal | undefined;
      let timersDuringAttempt = -1;
      const run = retry(
        async ({ signal }) => {
          captured = signal;
          timersDuringAttempt = vi.getTimerCount();
          await new Promise((resolve) => setTimeout(resolve, 10 ** 9));
          return 'slow but fine';
        },
        { retryTimeout: Infinity },
      );
      await vi.advanceTimersByTimeAsync(10 ** 9);
      await expect(run).resolves.toBe('slow but fine');
      expect(timersDuringAttempt).toBe(0);
      expect(captured?.aborted).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('retry: the attempt signal', () => {
  it('gives each attempt its own never-aborting signal, made on first read, when neither retryTimeout nor signal is set', async () => {
    const seen: AbortSignal[] = [];
    await retry(({ signal }) => seen.push(signal));
    await retry(
      ({ attempt, signal }) => {
        seen.push(signal);
        expect(signal).toBe(seen.at(-1)); // stable within an attempt
        if (attempt === 1) throw new Error('again');
      },
      { numRetries: 1 },
    );
    expect(new Set(seen).size).toBe(3);
    expect(seen.some((signal) => signal.aborted)).toBe(false);
  });

  it('passes the caller signal straight through when only signal is set', async () => {
    const controller = new AbortController();
    await retry(({ signal }) => expect(signal).toBe(controller.signal), { signal: controller.signal });
  });

  it('aborts the attempt signal when the caller signal aborts during a timed attempt', async () => {
    const controller = new AbortController();
    const reason = new CancelledError('user left');
    let attemptSignal: AbortSignal | undefined;
    const run = settle(
      retry(
        ({ signal }) => {
          attemptSignal = signal;
          return abortable(signal);
        },
        { signal: controller.signal, retryTimeout: 1000, numRetries: 3 },
      ),
    );
    await vi.advanceTimersByTimeAsync(5);
    controller.abort(reason);
    await run.done;
    expect(run.outcome).toEqual({ error: reason });
    expect(attemptSignal!.aborted).toBe(true);
    expect(attemptSignal!.reason).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('retry: signal', () => {
  it('rejects with signal.reason without calling fn when already aborted', async () => {
    const reason = new Error('before');
    const fn = vi.fn();
    await expect(retry(fn, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
  });

  it('waits for an attempt that ignores the abort, then rejects with signal.reason (not its value), never retrying', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const fn = vi.fn(() => new Promise((resolve) => setTimeout(() => resolve('finished anyway'), 100)));
    const run = settle(retry(fn, { signal: controller.signal, numRetries: 5, retryDefault: 'no' }));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(89);
    expect(run.outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(run.outcome).toEqual({ error: reason });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('does not retry when fn fails because of the abort', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const fn = vi.fn(
      ({ signal }: RetryContext) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('fn saw abort')))),
    );
    const run = settle(retry(fn, { signal: controller.signal, numRetries: 5 }));
    controller.abort(reason);
    await run.done;
    expect(run.outcome).toEqual({ error: reason });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('rejects promptly during a backoff wait, leaving no timer', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const fn = vi.fn(() => Promise.reject(new Error('fail')));
    const run = settle(retry(fn, { signal: controller.signal, numRetries: 3, retryDelay: 10_000 }));
    await vi.advanceTimersByTimeAsync(100);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort(reason);
    await run.done;
    expect(run.outcome).toEqual({ error: reason });
    expect(vi.getTimerCount()).toBe(0);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('rejects promptly while an async shouldRetry is pending', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const run = settle(
      retry(() => Promise.reject(new Error('fail')), {
        signal: controller.signal,
        numRetries: 3,
        shouldRetry: () => new Promise<boolean>(() => {}),
      }),
    );
    await vi.advanceTimersByTimeAsync(1);
    controller.abort(reason);
    await run.done;
    expect(run.outcome).toEqual({ error: reason });
  });

  it('stops when onRetry aborts the signal, without another attempt', async () => {
    const controller = new AbortController();
    const reason = new Error('enough');
    const fn = vi.fn(() => Promise.reject(new Error('fail')));
    await expect(retry(fn, { signal: controller.signal, numRetries: 3, onRetry: () => controller.abort(reason) })).rejects.toBe(reason);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('retry: shouldRetry', () => {
  it('stops at once and throws that very error when it returns false (even with retryDefault)', async () => {
    const fatal = new Error('fatal');
    const fn = vi.fn(() => Promise.reject(fatal));
    const shouldRetry = vi.fn(() => false);
    await expect(retry(fn, { numRetries: 5, shouldRetry, retryDefault: 'fallback' })).rejects.toBe(fatal);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(shouldRetry).toHaveBeenCalledWith(fatal, 1);
  });

  it('may be async', async () => {
    const errors = [new Error('transient'), new Error('fatal')];
    const fn = vi.fn(({ attempt }: RetryContext) => Promise.reject(errors[attempt - 1]));
    const run = settle(
      retry(fn, {
        numRetries: 5,
        shouldRetry: async (error) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return error !== errors[1];
        },
      }),
    );
    await vi.advanceTimersByTimeAsync(40);
    expect(run.outcome).toEqual({ error: errors[1] });
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('is not asked when it cannot change the outcome (last attempt, no retryDefault)', async () => {
    const shouldRetry = vi.fn(() => true);
    await expect(retry(() => Promise.reject(new Error('x')), { numRetries: 1, shouldRetry })).rejects.toThrow('x');
    expect(shouldRetry).toHaveBeenCalledTimes(1);
    expect(shouldRetry).toHaveBeenCalledWith(expect.any(Error), 1);
  });

  it('is asked after the last attempt when retryDefault is set: true gives the default', async () => {
    const shouldRetry = vi.fn(() => true);
    await expect(retry(() => Promise.reject(new Error('x')), { shouldRetry, retryDefault: 0 })).resolves.toBe(0);
    expect(shouldRetry).toHaveBeenCalledWith(expect.any(Error), 1);
  });

  it('rejects with the error shouldRetry itself throws', async () => {
    const bug = new Error('bug in shouldRetry');
    await expect(
      retry(() => Promise.reject(new Error('x')), {
        numRetries: 2,
        shouldRetry: () => {
          throw bug;
        },
      }),
    ).rejects.toBe(bug);
  });
});

describe('retry: onRetry', () => {
  it('is called before each wait with the error, the failed attempt and the delay', async () => {
    const errors = [new Error('1'), new Error('2'), new Error('3')];
    const calls: [unknown, number, number, number][] = [];
    const run = settle(
      retry(({ attempt }) => Promise.reject(errors[attempt - 1]), {
        numRetries: 2,
        retryDelay: 100,
        backoffFactor: 3,
        onRetry: (error, attempt, delayMs) => {
          calls.push([error, attempt, delayMs, performance.now()]);
        },
      }),
    );
    await vi.runAllTimersAsync();
    expect(run.outcome).toEqual({ error: errors[2] });
    expect(calls).toEqual([
      [errors[0], 1, 100, 0],
      [errors[1], 2, 300, 100],
    ]);
  });

  it('reports the jittered delay actually waited', async () => {
    const onRetry = vi.fn();
    const times = await attemptTimes({ numRetries: 1, retryDelay: 100, jitter: 'full', random: () => 0.37, onRetry });
    expect(onRetry).toHaveBeenCalledWith(expect.any(Error), 1, 37);
    expect(gaps(times)).toEqual([37]);
  });

  it('is awaited when it returns a promise, before the wait starts', async () => {
    const times: number[] = [];
    const run = settle(
      retry(
        () => {
          times.push(performance.now());
          return Promise.reject(new Error('x'));
        },
        { numRetries: 1, retryDelay: 100, onRetry: () => new Promise<void>((resolve) => setTimeout(resolve, 50)) },
      ),
    );
    await vi.runAllTimersAsync();
    await run.done;
    expect(gaps(times)).toEqual([150]);
  });

  it('rejects with the error onRetry throws', async () => {
    const bug = new Error('bad logger');
    await expect(
      retry(() => Promise.reject(new Error('x')), {
        numRetries: 2,
        onRetry: () => {
          throw bug;
        },
      }),
    ).rejects.toBe(bug);
  });
});
