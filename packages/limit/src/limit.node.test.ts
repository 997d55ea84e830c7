import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Limiter } from './limiter.js';
import { mapConcurrent } from './map/map-concurrent.js';
import { parallelMap } from './parallel-map.js';
import { deferred, flush } from '@lf/test-support';

describe('no listener is left behind', () => {
  it('by a queued schedule/acquire once it starts, or once it is aborted', async () => {
    const limiter = new Limiter(1);
    const gate = deferred();
    void limiter.run(() => gate.promise);
    const controller = new AbortController();
    const scheduled = limiter.schedule(() => 'ok', { signal: controller.signal });
    const acquired = limiter.acquire({ signal: controller.signal });
    // Both wait on the signal through @lf/scope's onAbort, which puts one listener on it for all.
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    gate.resolve();
    expect(await scheduled).toBe('ok');
    const release = await acquired;
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    release();

    const other = new AbortController();
    const hold = await limiter.acquire();
    const aborted = limiter.schedule(() => 'never', { signal: other.signal });
    other.abort();
    await expect(aborted).rejects.toBeDefined();
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
    hold();
  });

  it('by onEmpty / onSizeLessThan with a signal, once resolved or aborted', async () => {
    const limiter = new Limiter(1);
    const hold = await limiter.acquire();
    void limiter.run(() => 1);
    const controller = new AbortController();
    const empty = limiter.onEmpty({ signal: controller.signal });
    const below = limiter.onSizeLessThan(1, { signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    hold();
    await Promise.all([empty, below]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);

    const other = new AbortController();
    const hold2 = await limiter.acquire();
    void limiter.run(() => 2);
    const aborted = limiter.onEmpty({ signal: other.signal });
    other.abort();
    await expect(aborted).rejects.toBeDefined();
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
    hold2();
    await limiter.onIdle();
  });

  it('by onIdle with a signal', async () => {
    const limiter = new Limiter(1);
    const gate = deferred();
    void limiter.run(() => gate.promise);
    const controller = new AbortController();
    const idle = limiter.onIdle({ signal: controller.signal });
    gate.resolve();
    await idle;
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('by mapConcurrent / parallelMap on the outer signal, whatever the outcome', async () => {
    const controller = new AbortController();
    const { signal } = controller;
    await mapConcurrent([1, 2, 3], (x) => x, { signal, concurrency: 2 });
    await mapConcurrent([1, 2, 3], (x) => x, { signal });
    await parallelMap(async (x: number) => x, new Set([1, 2]), 1, { signal });
    await expect(parallelMap(() => Promise.reject(new Error('x')), [1, 2], 1, { signal })).rejects.toThrow('x');
    await flush();
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});

describe('no signal collects more than one item’s listeners', () => {
  it('64 items running at once, each listening on its signal, trigger no MaxListenersExceededWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on('warning', onWarning);
    try {
      const gate = deferred();
      const run = mapConcurrent(
        Array.from({ length: 64 }, (_, i) => i),
        async (x, _i, { signal }) => {
          signal.addEventListener('abort', () => undefined);
          expect(getEventListeners(signal, 'abort')).toHaveLength(1);
          await gate.promise;
          return x;
        },
        { concurrency: 64 },
      );
      await flush();
      gate.resolve();
      await run;
      await new Promise((resolve) => setTimeout(resolve, 10)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
