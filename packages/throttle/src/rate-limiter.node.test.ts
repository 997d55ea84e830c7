import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '@lf/test-support';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter abort listeners (Node)', () => {
  useFakeClock();

  it('leaves no listener on a long-lived signal once its waiters are served', async () => {
    const limiter = new RateLimiter({ limit: 2, interval: 10 });
    const controller = new AbortController();
    const all = Array.from({ length: 20 }, () => limiter.acquire({ signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(0);
    expect(limiter.pendingCount).toBe(18); // 2 went through at once
    // The 18 waiters share one listener on the signal (@lf/scope's onAbort multiplexes).
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(all);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('leaves no listener and no timer once its waiters are aborted', async () => {
    const limiter = new RateLimiter({ limit: 1, interval: 10 });
    await limiter.acquire();
    const controller = new AbortController();
    const all = Array.from({ length: 5 }, () => limiter.acquire({ signal: controller.signal }));
    controller.abort(new Error('stop'));
    const results = await Promise.allSettled(all);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
