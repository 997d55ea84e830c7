import { afterEach, describe, expect, it, vi } from 'vitest';
import { flush } from '@lf/test-support';
import { runAllAtOnce } from './all-at-once.js';
import { MapRun } from './run.js';
import { promiseInto } from '../deferred.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs `fn` over `items` on the all-at-once driver alone. */
function allAtOnce<R>(items: number[], fn: (x: number) => R | PromiseLike<R>): { run: MapRun<number, R>; promise: Promise<R[]> } {
  const run = new MapRun<number, R>(fn, true, undefined);
  const promise = promiseInto<R[]>(run);
  runAllAtOnce(run, items);
  return { run, promise };
}

describe('the all-at-once driver', () => {
  it('files a rejected item as an item’s failure, never as the source’s (an array has no iterator to fail)', async () => {
    const sourceFailed = vi.spyOn(MapRun.prototype, 'sourceFailed');
    const anItemFailed = vi.spyOn(MapRun.prototype, 'anItemFailed');
    const boom = new Error('boom');
    const { promise } = allAtOnce([0, 1, 2], async (x) => {
      await flush(1);
      if (x === 1) throw boom;
      return x;
    });
    await expect(promise).rejects.toBe(boom);
    expect(anItemFailed).toHaveBeenCalledWith(boom);
    expect(sourceFailed).not.toHaveBeenCalled();
  });

  it('files a synchronous throw under the item’s own index', async () => {
    const failed = vi.spyOn(MapRun.prototype, 'failed');
    const boom = new Error('sync');
    const { promise, run } = allAtOnce([0, 1, 2], (x) => {
      if (x === 1) throw boom;
      return x;
    });
    await expect(promise).rejects.toBe(boom);
    expect(failed).toHaveBeenCalledWith(1, boom);
    expect(run.claimed).toBe(2); // item 2 never started
  });

  it('collects every result in input order with one Promise.all', async () => {
    const { promise } = allAtOnce([3, 1, 2], async (x) => {
      await flush(x);
      return x * 10;
    });
    await expect(promise).resolves.toEqual([30, 10, 20]);
  });
});
