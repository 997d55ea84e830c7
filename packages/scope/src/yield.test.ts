import { describe, expect, it } from 'vitest';
import { yieldToEventLoop } from './yield.js';

describe('yieldToEventLoop', () => {
  it('resolves after a macrotask: a due timer (and so an AbortSignal.timeout) gets to run', async () => {
    const signal = AbortSignal.timeout(1);
    const started = performance.now();
    let rounds = 0;
    // A loop that would spin on microtasks forever without the yield.
    while (!signal.aborted) {
      rounds++;
      await Promise.resolve();
      await yieldToEventLoop();
      if (performance.now() - started > 10_000) break;
    }
    expect(signal.aborted).toBe(true);
    expect(rounds).toBeGreaterThan(0);
  });

  it('serves many waiters in order', async () => {
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => yieldToEventLoop().then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3]);
  });

  it('runs after pending microtasks', async () => {
    const seen: string[] = [];
    const yielded = yieldToEventLoop().then(() => seen.push('yield'));
    void Promise.resolve().then(() => seen.push('microtask'));
    await yielded;
    expect(seen).toEqual(['microtask', 'yield']);
  });
});
