import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { linkedController, onAbort, raceSignal } from './signals.js';

describe('signal helpers leave no listener on a long-lived parent', () => {
  it('linkedController.dispose() removes its listeners from every parent', () => {
    const a = new AbortController();
    const b = new AbortController();
    for (let i = 0; i < 10_000; i++) linkedController(a.signal, b.signal).dispose();
    expect(getEventListeners(a.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(b.signal, 'abort')).toHaveLength(0);
  });

  it('linkedController removes the other parents’ listeners once one parent aborts', () => {
    const a = new AbortController();
    const b = new AbortController();
    linkedController(a.signal, b.signal);
    b.abort();
    expect(getEventListeners(a.signal, 'abort')).toHaveLength(0);
    const c = new AbortController();
    linkedController(c.signal, AbortSignal.abort());
    expect(getEventListeners(c.signal, 'abort')).toHaveLength(0);
  });

  it('raceSignal and onAbort remove theirs', async () => {
    const parent = new AbortController();
    for (let i = 0; i < 1000; i++) {
      await raceSignal(Promise.resolve(i), parent.signal);
      await raceSignal(Promise.reject(new Error('x')), parent.signal).catch(() => undefined);
      onAbort(parent.signal, () => undefined)();
    }
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });
});

describe('onAbort multiplexes: one real listener per signal', () => {
  it('a signal shared by 1000 waiting registrations carries one listener, and none once they are removed', () => {
    const controller = new AbortController();
    const offs = Array.from({ length: 1000 }, () => onAbort(controller.signal, () => undefined));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    for (const off of offs) off();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('calls every registration once, in order, and leaves nothing on the signal after the abort', () => {
    const controller = new AbortController();
    const calls: [number, unknown][] = [];
    for (let i = 0; i < 20; i++) onAbort(controller.signal, (reason) => calls.push([i, reason]));
    const reason = new Error('stop');
    controller.abort(reason);
    expect(calls).toEqual(Array.from({ length: 20 }, (_, i) => [i, reason]));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('a registration removed by an earlier listener during the abort is not called', () => {
    const controller = new AbortController();
    const called: string[] = [];
    let offSecond = (): void => undefined;
    onAbort(controller.signal, () => {
      called.push('first');
      offSecond();
    });
    offSecond = onAbort(controller.signal, () => called.push('second'));
    onAbort(controller.signal, () => called.push('third'));
    controller.abort();
    expect(called).toEqual(['first', 'third']);
  });

  it('a listener that throws does not stop the others; its error surfaces on a microtask', async () => {
    const controller = new AbortController();
    const called: string[] = [];
    const boom = new Error('listener failed');
    const surfaced = new Promise<unknown>((resolve) => {
      const original = globalThis.queueMicrotask;
      globalThis.queueMicrotask = (task: () => void) => {
        globalThis.queueMicrotask = original;
        try {
          task();
        } catch (error) {
          resolve(error);
        }
      };
    });
    onAbort(controller.signal, () => {
      throw boom;
    });
    onAbort(controller.signal, () => called.push('after'));
    controller.abort();
    expect(called).toEqual(['after']);
    expect(await surfaced).toBe(boom);
  });

  it('the same function registered twice is called twice and removed one registration at a time', () => {
    const controller = new AbortController();
    let count = 0;
    const listener = (): void => {
      count++;
    };
    const offA = onAbort(controller.signal, listener);
    onAbort(controller.signal, listener);
    offA();
    controller.abort();
    expect(count).toBe(1);
  });
});
