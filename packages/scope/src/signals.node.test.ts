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
