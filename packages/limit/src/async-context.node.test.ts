/**
 * Node-only: a queued call runs in the async context (AsyncLocalStorage) of
 * the code that queued it, not of the call that freed its slot.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { Limiter } from './limiter.js';
import { maxConcurrent } from './max-concurrent.js';
import { flush } from '@lf/test-support';

const store = new AsyncLocalStorage<number>();

/** A call that reports the context it runs in, then waits a few microtasks. */
async function seen(log: (number | undefined)[]): Promise<void> {
  log.push(store.getStore());
  await flush(3);
}

describe('a queued call keeps the async context of the code that queued it', () => {
  it('Limiter.run: ids 1, 2, 3 on new Limiter(1) see 1, 2, 3', async () => {
    const limiter = new Limiter(1);
    const log: (number | undefined)[] = [];
    await Promise.all([1, 2, 3].map((id) => store.run(id, () => limiter.run(seen, log))));
    expect(log).toEqual([1, 2, 3]);
  });

  it('Limiter.schedule, with and without a signal', async () => {
    const limiter = new Limiter(1);
    const log: (number | undefined)[] = [];
    const { signal } = new AbortController();
    await Promise.all(
      [1, 2, 3, 4].map((id) => store.run(id, () => limiter.schedule(() => seen(log), id % 2 === 0 ? { signal } : undefined))),
    );
    expect(log).toEqual([1, 2, 3, 4]);
  });

  it('Limiter.acquire: the code after the await runs in its caller’s context', async () => {
    const limiter = new Limiter(1);
    const log: (number | undefined)[] = [];
    await Promise.all(
      [1, 2, 3].map((id) =>
        store.run(id, async () => {
          const release = await limiter.acquire();
          try {
            await seen(log);
          } finally {
            release();
          }
        }),
      ),
    );
    expect(log).toEqual([1, 2, 3]);
  });

  it('maxConcurrent(1)(fn)', async () => {
    const log: (number | undefined)[] = [];
    const limited = maxConcurrent(1)(seen);
    await Promise.all([1, 2, 3].map((id) => store.run(id, () => limited(log))));
    expect(log).toEqual([1, 2, 3]);
  });

  it('calls started by raising the limit or by clearing the way run in their own context, not the setter’s', async () => {
    const limiter = new Limiter(1);
    const log: (number | undefined)[] = [];
    const hold = await limiter.acquire();
    const runs = [1, 2, 3].map((id) => store.run(id, () => limiter.run(seen, log)));
    store.run(99, () => {
      limiter.limit = 3;
    });
    await Promise.all(runs);
    store.run(98, hold);
    expect(log).toEqual([1, 2, 3]);
  });
});
