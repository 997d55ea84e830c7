import { describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '@lf/test-support';
import { CancelledError, TimeoutError } from './errors.js';
import { failAfter } from './fail-after.js';
import { sleep } from './sleep.js';

describe('failAfter', () => {
  useFakeClock();

  it('resolves the body value when it finishes in time, leaving no timer', async () => {
    const promise = failAfter(100, async ({ signal }) => {
      await sleep(99, { signal });
      return 42;
    });
    await vi.advanceTimersByTimeAsync(99);
    await expect(promise).resolves.toBe(42);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects with a TimeoutError (the scope's abort reason) when the time runs out", async () => {
    let reason: unknown;
    const promise = failAfter(100, async ({ signal }) => {
      signal.addEventListener('abort', () => {
        reason = signal.reason as unknown;
      });
      await sleep(1000, { signal });
    });
    const settled = promise.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(100);
    const error = await settled;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBe(reason);
  });

  it('rejects with the TimeoutError even when the body swallowed the abort and returned', async () => {
    const promise = failAfter(100, async ({ signal }) => {
      await sleep(1000, { signal }).catch(() => undefined);
      return 'swallowed';
    });
    const settled = promise.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(100);
    expect(await settled).toBeInstanceOf(TimeoutError);
  });

  it('propagates a real error raised after the deadline instead of the TimeoutError', async () => {
    const boom = new Error('cleanup failed');
    const promise = failAfter(10, async ({ signal }) => {
      await sleep(1000, { signal }).catch(() => undefined);
      throw boom;
    });
    const settled = promise.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10);
    expect(await settled).toBe(boom);
  });

  it('rejects with the reason of a manual scope.cancel()', async () => {
    const promise = failAfter(1000, (scope) => {
      scope.cancel();
      return sleep(5000, { signal: scope.signal });
    });
    await expect(promise).rejects.toBeInstanceOf(CancelledError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects with the parent's reason when the parent aborts", async () => {
    const parent = new AbortController();
    const reason = new Error('parent');
    const promise = failAfter(1000, ({ signal }) => sleep(5000, { signal }), { signal: parent.signal });
    parent.abort(reason);
    await expect(promise).rejects.toBe(reason);
  });

  it("never resolves the body's value after the parent aborted: rejects with the parent's reason", async () => {
    const parent = new AbortController();
    const reason = new Error('parent');
    const promise = failAfter(
      1000,
      async ({ signal }) => {
        await sleep(5000, { signal }).catch(() => undefined); // swallows the abort
        return 'swallowed';
      },
      { signal: parent.signal },
    );
    parent.abort(reason);
    await expect(promise).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with the reason of an already aborted parent, even for a body that returns at once', async () => {
    const reason = new Error('already');
    let ran = false;
    const promise = failAfter(
      1000,
      () => {
        ran = true;
        return 42;
      },
      { signal: AbortSignal.abort(reason) },
    );
    await expect(promise).rejects.toBe(reason);
    expect(ran).toBe(true); // the body still runs (with an aborted signal), as CancelScope.run does
  });

  it('rejects an unknown option with a TypeError naming it, before running the body', () => {
    const fn = vi.fn();
    expect(() => failAfter(10, fn, { signl: undefined } as never)).toThrow(
      new TypeError("failAfter: unknown option 'signl' (did you mean 'signal'?)"),
    );
    expect(fn).not.toHaveBeenCalled();
  });

  it('throws synchronously for bad arguments, naming them', () => {
    expect(() => failAfter(Number.NaN, () => 1)).toThrow(RangeError);
    expect(() => failAfter(Number.NaN, () => 1)).toThrow(/ms/);
    expect(() => failAfter(1, null as never)).toThrow(/fn/);
    expect(() => failAfter(1, () => 1, { signal: 'x' as never })).toThrow(TypeError);
  });
});
