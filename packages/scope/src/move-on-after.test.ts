import { describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '@lf/test-support';
import { CancelScope } from './cancel-scope.js';
import { moveOnAfter } from './move-on-after.js';
import { sleep } from './sleep.js';

describe('moveOnAfter', () => {
  useFakeClock();

  it('resolves the body value when it finishes in time, leaving no timer', async () => {
    const promise = moveOnAfter(100, async ({ signal }) => {
      await sleep(50, { signal });
      return 'in time';
    });
    await vi.advanceTimersByTimeAsync(50);
    await expect(promise).resolves.toBe('in time');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves undefined when the time runs out, after the body settles', async () => {
    let scope: CancelScope | undefined;
    const promise = moveOnAfter(100, async (s) => {
      scope = s;
      await sleep(1000, { signal: s.signal });
      return 'late';
    });
    await vi.advanceTimersByTimeAsync(100);
    await expect(promise).resolves.toBeUndefined();
    expect(scope?.cancelledCaught).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects with the parent's reason when the parent aborts", async () => {
    const parent = new AbortController();
    const reason = new Error('parent');
    const promise = moveOnAfter(1000, ({ signal }) => sleep(5000, { signal }), { signal: parent.signal });
    parent.abort(reason);
    await expect(promise).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('propagates a real error unchanged', async () => {
    const boom = new Error('boom');
    await expect(moveOnAfter(100, () => Promise.reject(boom))).rejects.toBe(boom);
  });

  it('throws synchronously for bad arguments, naming them', () => {
    expect(() => moveOnAfter(-1, () => 1)).toThrow(/ms/);
    expect(() => moveOnAfter(1, 'x' as never)).toThrow(TypeError);
    expect(() => moveOnAfter(1, () => 1, { signal: 5 as never })).toThrow(/signal/);
    expect(() => moveOnAfter(1, () => 1, 5 as never)).toThrow(/options/);
  });
  it("rejects with the parent's reason after the parent aborted, even when the body swallowed it and returned", async () => {
    const parent = new AbortController();
    const reason = new Error('parent');
    const promise = moveOnAfter(
      1000,
      async ({ signal }) => {
        await sleep(5000, { signal }).catch(() => undefined);
        return 'swallowed';
      },
      { signal: parent.signal },
    );
    parent.abort(reason);
    await expect(promise).rejects.toBe(reason);
    await expect(moveOnAfter(1000, () => 1, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('still resolves a value the body produced after its own deadline (moving on is not an error)', async () => {
    const promise = moveOnAfter(10, async ({ signal }) => {
      await sleep(1000, { signal }).catch(() => undefined);
      return 'late but kept';
    });
    await vi.advanceTimersByTimeAsync(10);
    await expect(promise).resolves.toBe('late but kept');
  });

  it('rejects an unknown option with a TypeError naming it', () => {
    expect(() => moveOnAfter(10, () => 1, { timeout: 5 } as never)).toThrow(new TypeError("moveOnAfter: unknown option 'timeout'"));
  });
});
