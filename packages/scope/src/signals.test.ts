import { describe, expect, it, vi } from 'vitest';
import { linkedController, onAbort, raceSignal, isThenable, throwIfAborted } from './signals.js';

describe('onAbort', () => {
  it('calls the listener once with the reason when the signal aborts', () => {
    const controller = new AbortController();
    const listener = vi.fn();
    onAbort(controller.signal, listener);
    controller.abort('why');
    controller.abort('again');
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith('why');
  });

  it('the returned function removes the listener', () => {
    const controller = new AbortController();
    const listener = vi.fn();
    const off = onAbort(controller.signal, listener);
    off();
    controller.abort();
    expect(listener).not.toHaveBeenCalled();
  });

  it('does nothing without a signal and does not call back for an already aborted one', () => {
    const listener = vi.fn();
    onAbort(undefined, listener)();
    onAbort(AbortSignal.abort(), listener);
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('raceSignal', () => {
  it('settles like the promise when the signal does not abort', async () => {
    const controller = new AbortController();
    await expect(raceSignal(Promise.resolve(1), controller.signal)).resolves.toBe(1);
    const boom = new Error('boom');
    await expect(raceSignal(Promise.reject(boom), controller.signal)).rejects.toBe(boom);
    await expect(raceSignal(Promise.resolve(2), undefined)).resolves.toBe(2);
  });

  it('rejects with signal.reason as soon as it aborts, and swallows the late rejection', async () => {
    const controller = new AbortController();
    let rejectLate: (error: unknown) => void = () => undefined;
    const slow = new Promise((_resolve, reject) => {
      rejectLate = reject;
    });
    const raced = raceSignal(slow, controller.signal);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(raced).rejects.toBe(reason);
    rejectLate(new Error('late')); // would be an unhandled rejection if not swallowed
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

  it('rejects at once for an already aborted signal', async () => {
    const reason = new Error('already');
    await expect(raceSignal(Promise.reject(new Error('ignored')), AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('removes its listener when the promise settles first', async () => {
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, 'addEventListener');
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    await raceSignal(Promise.resolve(1), controller.signal);
    expect(remove).toHaveBeenCalledWith('abort', add.mock.calls[0]?.[1]);
  });
});

describe('linkedController', () => {
  it('aborts with the reason of whichever parent aborts first', () => {
    const a = new AbortController();
    const b = new AbortController();
    const child = linkedController(a.signal, undefined, b.signal);
    b.abort('b first');
    a.abort('a later');
    expect(child.signal.reason).toBe('b first');
  });

  it('starts aborted when a parent already is', () => {
    const child = linkedController(new AbortController().signal, AbortSignal.abort('done'));
    expect(child.signal.aborted).toBe(true);
    expect(child.signal.reason).toBe('done');
  });

  it('can still be aborted on its own without touching the parents', () => {
    const parent = new AbortController();
    const child = linkedController(parent.signal);
    child.abort('own');
    expect(child.signal.reason).toBe('own');
    expect(parent.signal.aborted).toBe(false);
    child.dispose();
  });

  it('after dispose() no longer follows its parents', () => {
    const parent = new AbortController();
    const child = linkedController(parent.signal);
    child.dispose();
    parent.abort();
    expect(child.signal.aborted).toBe(false);
  });

  it('with no parents is a plain controller', () => {
    const child = linkedController();
    expect(child.signal.aborted).toBe(false);
    child.dispose();
  });
});

describe('isThenable', () => {
  it('is true for promises and any object or function with a then method, false for everything else', () => {
    const fnWithThen = Object.assign(() => undefined, { then: () => undefined });
    expect(isThenable(Promise.resolve(1))).toBe(true);
    expect(isThenable({ then: () => undefined })).toBe(true);
    expect(isThenable(fnWithThen)).toBe(true);
    for (const value of [null, undefined, 0, 'then', { then: 1 }, () => undefined, []]) expect(isThenable(value)).toBe(false);
  });
});

describe('throwIfAborted', () => {
  it('throws the reason of an aborted signal, and nothing for a live or missing one', () => {
    const reason = new Error('stop');
    expect(() => {
      throwIfAborted(AbortSignal.abort(reason));
    }).toThrow(reason);
    expect(() => {
      throwIfAborted(new AbortController().signal);
      throwIfAborted(undefined);
    }).not.toThrow();
  });

  it('needs only aborted and reason (a signal-like object without its own throwIfAborted works)', () => {
    expect(() => {
      throwIfAborted({ aborted: true, reason: 'why' } as AbortSignal);
    }).toThrow();
  });
});
