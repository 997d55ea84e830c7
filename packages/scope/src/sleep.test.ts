import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sleep } from './sleep.js';

describe('sleep', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('resolves after the given time and not before', async () => {
    let done = false;
    void sleep(100).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(99);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });

  it('rejects with signal.reason at once when aborted, and clears its timer', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const promise = sleep(1000, { signal: controller.signal });
    controller.abort(reason);
    await expect(promise).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once when the signal is already aborted, starting no timer', async () => {
    const reason = new Error('already');
    await expect(sleep(10, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('removes its abort listener when it resolves', async () => {
    const controller = new AbortController();
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    const promise = sleep(5, { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(5);
    await promise;
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
  });

  it('re-arms delays beyond the 24.8-day setTimeout limit instead of firing early', async () => {
    let done = false;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    void sleep(2 ** 31 + 1000).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1001);
    expect(done).toBe(true);
  });

  it.each([
    [-1, RangeError],
    [Number.NaN, RangeError],
    ['5', TypeError],
  ])('rejects a bad duration %s with %s naming ms', (ms, type) => {
    expect(() => sleep(ms as number)).toThrow(type);
    expect(() => sleep(ms as number)).toThrow(/ms/);
  });
});
