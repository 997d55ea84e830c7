import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { alcall } from './alcall.js';
import { bcall } from './bcall.js';
import type { ALCallOptions } from './options.js';

describe('alcall: async context', () => {
  it.each([
    ['maxConcurrent: 1', { maxConcurrent: 1 }],
    ['throttlePeriod: 2', { throttlePeriod: 2 }],
    ['maxConcurrent: 1, numRetries: 1', { maxConcurrent: 1, numRetries: 1 }],
  ])('with %s, fn sees the async context of the call that queued it', async (_label, options) => {
    const store = new AsyncLocalStorage<string>();
    const seen: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        store.run(id, () =>
          alcall(
            [1, 2, 3],
            async () => {
              await new Promise((r) => setTimeout(r, 1));
              seen.push(`${id}:${store.getStore() ?? 'none'}`);
            },
            options as ALCallOptions,
          ),
        ),
      ),
    );
    expect(seen).toHaveLength(9);
    for (const entry of seen) {
      const [id, got] = entry.split(':');
      expect(got).toBe(id);
    }
  });

  it('bcall batches run in the context of the consumer that pulls them', async () => {
    const store = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    await store.run('consumer', async () => {
      for await (const _batch of bcall([1, 2, 3, 4], () => seen.push(store.getStore()), { batchSize: 2, throttlePeriod: 1 })) {
        // consume
      }
    });
    expect(seen).toEqual(['consumer', 'consumer', 'consumer', 'consumer']);
  });
});
