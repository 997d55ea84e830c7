import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { now, setTimer } from './timers.js';

describe('now', () => {
  it('reads the performance.now() clock', () => {
    vi.useFakeTimers({ toFake: ['performance', 'setTimeout'] });
    const start = now();
    vi.advanceTimersByTime(250);
    expect(now() - start).toBe(250);
    vi.useRealTimers();
  });

  it('is monotonic', () => {
    const a = now();
    const b = now();
    expect(b).toBeGreaterThanOrEqual(a);
  });
});

describe('setTimer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls back after the delay and not before', () => {
    const callback = vi.fn();
    setTimer(100, callback);
    vi.advanceTimersByTime(99);
    expect(callback).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(callback).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the returned function cancels it and leaves no timer', () => {
    const callback = vi.fn();
    const cancel = setTimer(100, callback);
    expect(vi.getTimerCount()).toBe(1);
    cancel();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(200);
    expect(callback).not.toHaveBeenCalled();
    cancel(); // harmless twice
  });

  it('Infinity starts no timer and never calls back', () => {
    const callback = vi.fn();
    const cancel = setTimer(Infinity, callback);
    expect(vi.getTimerCount()).toBe(0);
    cancel();
    expect(callback).not.toHaveBeenCalled();
  });

  it('re-arms delays beyond the 24.8-day setTimeout limit instead of firing early', () => {
    const callback = vi.fn();
    const ms = 2 ** 31 * 2 + 5;
    setTimer(ms, callback);
    vi.advanceTimersByTime(ms - 1);
    expect(callback).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(callback).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('cancelling a long delay after a re-arm clears the current timer', () => {
    const callback = vi.fn();
    const cancel = setTimer(2 ** 32, callback);
    vi.advanceTimersByTime(2 ** 31);
    expect(vi.getTimerCount()).toBe(1);
    cancel();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(2 ** 32);
    expect(callback).not.toHaveBeenCalled();
  });
});
