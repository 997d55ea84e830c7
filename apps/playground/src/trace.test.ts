import { describe, expect, it } from 'vitest';
import { Timeline } from './timeline.js';
import { track, traced } from './trace.js';

function kinds(tl: Timeline, label: string) {
  const row = tl.rows().find((r) => r.label === label)!;
  return { phases: row.segments.map((s) => s.phase), marks: row.marks.map((m) => m.kind) };
}

describe('track', () => {
  it('draws a successful attempt as running, then done, and passes its value through', async () => {
    const tl = new Timeline();
    await expect(track(tl, 'a', () => 42)).resolves.toBe(42);
    tl.stop();
    expect(kinds(tl, 'a')).toEqual({ phases: ['run'], marks: [] });
  });

  it('marks a thrown error as a failed attempt and rethrows it', async () => {
    const tl = new Timeline();
    const boom = new Error('boom');
    await expect(track(tl, 'a', () => Promise.reject(boom))).rejects.toBe(boom);
    expect(kinds(tl, 'a').marks).toEqual(['fail']);
  });

  it('marks an attempt stopped by its signal as cancelled', async () => {
    const tl = new Timeline();
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(track(tl, 'a', () => Promise.reject(controller.signal.reason), controller.signal)).rejects.toThrow('stop');
    expect(kinds(tl, 'a').marks).toEqual(['cancel']);
  });

  it('marks an attempt stopped by a timeout as failed with timeoutFails, as cancelled without', async () => {
    const tl = new Timeline();
    const controller = new AbortController();
    const timeout = Object.assign(new Error('late'), { name: 'TimeoutError' });
    controller.abort(timeout);
    await expect(track(tl, 'a', () => Promise.reject(timeout), controller.signal, true)).rejects.toBe(timeout);
    await expect(track(tl, 'b', () => Promise.reject(timeout), controller.signal)).rejects.toBe(timeout);
    expect(kinds(tl, 'a').marks).toEqual(['fail']);
    expect(kinds(tl, 'b').marks).toEqual(['cancel']);
  });
});

describe('traced', () => {
  it('names the row after the item and hands the context to the body', async () => {
    const tl = new Timeline();
    const signal = new AbortController().signal;
    const fn = traced(
      tl,
      (n: number) => `item ${n}`,
      (n, ctx) => `${n}@${ctx.attempt}`,
    );
    await expect(fn(7, { signal, attempt: 2 })).resolves.toBe('7@2');
    expect(tl.rows().map((r) => r.label)).toEqual(['item 7']);
  });

  it('draws an attempt cut by retryTimeout as a failed attempt', async () => {
    const tl = new Timeline();
    const controller = new AbortController();
    controller.abort(Object.assign(new Error('late'), { name: 'TimeoutError' }));
    const fn = traced(
      tl,
      (n: number) => `item ${n}`,
      (_n, ctx) => Promise.reject(ctx.signal.reason),
    );
    await expect(fn(1, { signal: controller.signal, attempt: 1 })).rejects.toThrow('late');
    expect(kinds(tl, 'item 1').marks).toEqual(['fail']);
  });
});
