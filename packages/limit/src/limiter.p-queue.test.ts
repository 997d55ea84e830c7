/**
 * p-queue's priority, pause, onEmpty and onSizeLessThan cases, ported to
 * Limiter in lf's words (p-queue's `size` is lf's `pendingCount`, its
 * `pending` is `activeCount`, `start()` is `resume()`, `add(fn, { priority })`
 * is `schedule(fn, { priority })`). Waits run on fake timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { delay } from '@lf/test-support';
import { Limiter } from './limiter.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ported from p-queue', () => {
  it('priority: the first call takes the free slot; the rest start by priority, FIFO among equals', async () => {
    const result: number[] = [];
    const limiter = new Limiter(1);
    const add = (value: number, priority: number): Promise<void> => limiter.schedule(async () => void result.push(value), { priority });
    const all = [add(1, 1), add(0, 0), add(1, 1), add(2, 1), add(3, 2), add(0, -1)];
    await limiter.onEmpty();
    await Promise.all(all);
    expect(result).toEqual([1, 3, 1, 2, 0, 0]);
  });

  it('onEmpty: resolves when the queue drains, again after more work is added, and at once when empty', async () => {
    const limiter = new Limiter(1);
    void limiter.run(async () => 0);
    void limiter.run(async () => 0);
    expect(limiter.pendingCount).toBe(1);
    expect(limiter.activeCount).toBe(1);
    await limiter.onEmpty();
    expect(limiter.pendingCount).toBe(0);
    // lf resolves onEmpty as soon as the last queued call has its slot: it may still run
    expect(limiter.activeCount).toBe(1);
    void limiter.run(async () => 0);
    void limiter.run(async () => 0);
    expect(limiter.pendingCount).toBe(2);
    expect(limiter.activeCount).toBe(1);
    await limiter.onEmpty();
    expect(limiter.pendingCount).toBe(0);
    await limiter.onEmpty(); // an empty queue resolves at once
    expect(limiter.pendingCount).toBe(0);
  });

  it('onSizeLessThan: backpressure steps as the queue drains', async () => {
    const limiter = new Limiter(1);
    for (let i = 0; i < 5; i++) void limiter.run(() => delay(100));
    const below4 = limiter.onSizeLessThan(4);
    await vi.advanceTimersByTimeAsync(100);
    await below4;
    expect(limiter.pendingCount).toBe(3);
    expect(limiter.activeCount).toBe(1);
    const below2 = limiter.onSizeLessThan(2);
    await vi.advanceTimersByTimeAsync(200);
    await below2;
    expect(limiter.pendingCount).toBe(1);
    await limiter.onSizeLessThan(10); // already fewer than 10
    expect(limiter.pendingCount).toBe(1);
    const below1 = limiter.onSizeLessThan(1);
    await vi.advanceTimersByTimeAsync(100);
    await below1;
    expect(limiter.pendingCount).toBe(0);
    expect(limiter.activeCount).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    await limiter.onIdle();
  });

  it('pause: queues everything, resume starts up to the limit, pausing again keeps running work and starts nothing', async () => {
    const limiter = new Limiter(2);
    limiter.pause();
    // clearQueue rejects what it drops (p-queue's clear() leaves those promises pending)
    const dropped = (): undefined => undefined;
    for (let i = 0; i < 5; i++) void limiter.run(() => delay(20)).catch(dropped);
    expect(limiter.pendingCount).toBe(5);
    expect(limiter.activeCount).toBe(0);
    expect(limiter.isPaused).toBe(true);

    limiter.resume();
    expect(limiter.pendingCount).toBe(3);
    expect(limiter.activeCount).toBe(2);
    expect(limiter.isPaused).toBe(false);

    void limiter.run(() => delay(20)).catch(dropped);
    limiter.pause();
    expect(limiter.pendingCount).toBe(4);
    expect(limiter.activeCount).toBe(2);
    expect(limiter.isPaused).toBe(true);

    limiter.resume();
    expect(limiter.pendingCount).toBe(4);
    expect(limiter.activeCount).toBe(2);
    expect(limiter.isPaused).toBe(false);

    limiter.clearQueue();
    expect(limiter.pendingCount).toBe(0);
    expect(limiter.activeCount).toBe(2);
    await vi.advanceTimersByTimeAsync(20);
    await limiter.onIdle();
  });

  it('pause: nothing starts while paused, however long; the queue is served in order after resume', async () => {
    const limiter = new Limiter(1);
    const started: number[] = [];
    limiter.pause();
    const runs = [1, 2, 3].map((i) =>
      limiter.run(async () => {
        started.push(i);
        await delay(10);
      }),
    );
    await vi.advanceTimersByTimeAsync(1000);
    expect(started).toEqual([]);
    limiter.resume();
    await vi.advanceTimersByTimeAsync(30);
    await Promise.all(runs);
    expect(started).toEqual([1, 2, 3]);
  });

  it('priority with a signal: an aborted waiter is removed without disturbing the order', async () => {
    const limiter = new Limiter(1);
    const result: string[] = [];
    const controller = new AbortController();
    void limiter.run(() => delay(10));
    const runs = [
      limiter.schedule(() => void result.push('low'), { priority: 0 }),
      limiter.schedule(() => void result.push('aborted'), { priority: 5, signal: controller.signal }).catch(() => undefined),
      limiter.schedule(() => void result.push('high'), { priority: 1 }),
    ];
    controller.abort();
    await vi.advanceTimersByTimeAsync(10);
    await Promise.all(runs);
    expect(result).toEqual(['high', 'low']);
  });
});
