import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CancelScope } from './cancel-scope.js';
import { failAfter } from './fail-after.js';
import { moveOnAfter } from './move-on-after.js';
import { taskGroup } from './task-group.js';

const RUNS = 100_000;

describe('no listener is left on the parent', () => {
  it(`after ${RUNS} scopes run on one long-lived parent signal (finished, cancelled, timed out, failed)`, async () => {
    const parent = new AbortController();
    for (let i = 0; i < RUNS; i++) {
      const scope = new CancelScope({ signal: parent.signal, timeout: 60_000 });
      switch (i % 4) {
        case 0:
          await scope.run(() => i);
          break;
        case 1:
          await scope.run((s) => {
            s.cancel();
            return Promise.reject(s.signal.reason as Error);
          });
          break;
        case 2:
          await scope.run((s) => {
            s.deadline = 0; // already past: expires at once
            return Promise.reject(s.signal.reason as Error);
          });
          break;
        default:
          await scope.run(() => Promise.reject(new Error('x'))).catch(() => undefined);
      }
    }
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  }, 60_000);

  it('after moveOnAfter, failAfter and task groups settle on the parent', async () => {
    const parent = new AbortController();
    const { signal } = parent;
    for (let i = 0; i < 1000; i++) {
      await moveOnAfter(60_000, () => i, { signal });
      await failAfter(60_000, () => i, { signal });
      await taskGroup(
        (tg) => {
          tg.startSoon(() => i);
          tg.startSoon(() => new CancelScope({ signal: tg.signal }).run(() => i));
        },
        { signal },
      );
      await taskGroup(
        (tg) => {
          tg.startSoon(() => Promise.reject(new Error('fail')));
        },
        { signal },
      ).catch(() => undefined);
    }
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  }, 60_000);

  it('after a disposed scope that was never run', () => {
    const parent = new AbortController();
    for (let i = 0; i < 1000; i++) {
      using scope = new CancelScope({ signal: parent.signal, timeout: 60_000 });
      expect(scope.signal.aborted).toBe(false);
    }
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });
});
