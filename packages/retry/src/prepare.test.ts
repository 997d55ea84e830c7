import { readOptions } from '@lf/scope/internal';
import { describe, expect, it, vi } from 'vitest';
import { RETRY_OPTION_NAMES } from './options.js';
import { prepareRetry } from './prepare.js';
import type { RetryContext } from './options.js';

describe('prepareRetry: validate once, run many', () => {
  it('RETRY_OPTION_NAMES lists every retry option except signal, and nothing else', () => {
    expect(RETRY_OPTION_NAMES).not.toContain('signal');
    expect([...RETRY_OPTION_NAMES].sort()).toEqual(
      [
        'backoffFactor',
        'jitter',
        'maxDelay',
        'numRetries',
        'onRetry',
        'random',
        'retryDefault',
        'retryDelay',
        'retryTimeout',
        'retryTiming',
        'shouldRetry',
        'retryAfter',
        'maxRetryTime',
      ].sort(),
    );
    expect(Object.isFrozen(RETRY_OPTION_NAMES)).toBe(true);
  });

  it('validates once, naming the caller: the messages of retry with the given function name', () => {
    expect(() => prepareRetry('alcall', { numRetries: -1 })).toThrow(new RangeError('alcall: numRetries must be >= 0 (got -1)'));
    expect(() => prepareRetry('alcall', { jitter: 'random' })).toThrow(RangeError);
    expect(() => prepareRetry('alcall', { retryTimeout: 0 })).toThrow(/^alcall: retryTimeout/);
  });

  it('passthrough is true only when running once through the plan is a direct call', () => {
    expect(prepareRetry('alcall', {}).passthrough).toBe(true);
    expect(prepareRetry('alcall', { numRetries: 0, retryDelay: 10, jitter: 'full', onRetry: () => undefined }).passthrough).toBe(true);
    expect(prepareRetry('alcall', { numRetries: 1 }).passthrough).toBe(false);
    expect(prepareRetry('alcall', { retryTimeout: 10 }).passthrough).toBe(false);
    expect(prepareRetry('alcall', { retryTimeout: Infinity }).passthrough).toBe(true);
    expect(prepareRetry('alcall', { retryDefault: undefined }).passthrough).toBe(false);
    expect(prepareRetry('alcall', { retryTiming: true }).passthrough).toBe(false);
  });

  it('runs the same plan for many items, with retry semantics per run', async () => {
    const plan = prepareRetry('alcall', readOptions('alcall', { numRetries: 2, retryDefault: -1 }, RETRY_OPTION_NAMES, ['retryDefault']));
    const failures = new Map<number, number>([
      [1, 1],
      [2, 5],
    ]);
    const results = await Promise.all(
      [0, 1, 2].map((item) =>
        plan.run(
          ({ attempt }) => (attempt <= (failures.get(item) ?? 0) ? Promise.reject(new Error(`item ${item}`)) : item * 10),
          undefined,
        ),
      ),
    );
    expect(results).toEqual([0, 10, -1]);
  });

  it('awaits beforeAttempt before every attempt, with the attempt number and the signal', async () => {
    const events: string[] = [];
    const signal = new AbortController().signal;
    const plan = prepareRetry('alcall', { numRetries: 2 });
    const value = await plan.run(
      ({ attempt }) => {
        events.push(`attempt ${attempt}`);
        if (attempt < 3) throw new Error('again');
        return 'ok';
      },
      signal,
      async (attempt, given) => {
        expect(given).toBe(signal);
        await Promise.resolve();
        events.push(`before ${attempt}`);
      },
    );
    expect(value).toBe('ok');
    expect(events).toEqual(['before 1', 'attempt 1', 'before 2', 'attempt 2', 'before 3', 'attempt 3']);
  });

  it('an abort during beforeAttempt rejects with signal.reason and starts no attempt', async () => {
    const controller = new AbortController();
    const reason = new Error('stopped while waiting for a slot');
    const fn = vi.fn();
    const run = prepareRetry('alcall', { numRetries: 3 }).run(fn, controller.signal, () => {
      controller.abort(reason);
    });
    await expect(run).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
  });

  it('an error thrown by beforeAttempt rejects the run, not retried', async () => {
    const broken = new Error('rate limiter broke');
    const fn = vi.fn();
    await expect(prepareRetry('alcall', { numRetries: 3 }).run(fn, undefined, () => Promise.reject(broken))).rejects.toBe(broken);
    expect(fn).not.toHaveBeenCalled();
  });

  it('makes no signal for an attempt that does not read ctx.signal, and passes the caller signal through', async () => {
    const plan = prepareRetry('alcall', { numRetries: 3 });
    const caller = new AbortController().signal;
    let seen: AbortSignal | undefined;
    await plan.run((ctx: RetryContext) => {
      seen = ctx.signal;
    }, caller);
    expect(seen).toBe(caller);
    const spy = vi.spyOn(globalThis, 'AbortController');
    try {
      await plan.run(() => 1, undefined);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('plainFirstAttempt is true only when attempt 1 needs no timer and no clock', () => {
    expect(prepareRetry('alcall', { numRetries: 3, retryDelay: 10, retryDefault: 0 }).plainFirstAttempt).toBe(true);
    expect(prepareRetry('alcall', { numRetries: 3, retryTimeout: 10 }).plainFirstAttempt).toBe(false);
    expect(prepareRetry('alcall', { numRetries: 3, retryTiming: true }).plainFirstAttempt).toBe(false);
    expect(prepareRetry('alcall', { numRetries: 3, maxRetryTime: 1000 }).plainFirstAttempt).toBe(false);
  });

  it('afterFailure continues from a failed attempt 1 made by the caller: attempts from 2, retryDefault at the end', async () => {
    const attempts: number[] = [];
    const plan = prepareRetry(
      'alcall',
      readOptions('alcall', { numRetries: 2, retryDefault: 'fallback' }, RETRY_OPTION_NAMES, ['retryDefault']),
    );
    const value = await plan.afterFailure(
      ({ attempt }) => {
        attempts.push(attempt);
        throw new Error(`attempt ${attempt}`);
      },
      undefined,
      new Error('attempt 1'),
    );
    expect(attempts).toEqual([2, 3]);
    expect(value).toBe('fallback');
  });
});
