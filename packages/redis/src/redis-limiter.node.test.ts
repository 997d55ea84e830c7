import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { useRedis } from '../test/redis-fixture.js';
import { RedisLimiter } from './redis-limiter.js';

/** RedisLimiter and Node's async context (AsyncLocalStorage). */
const server = useRedis(['ioredis']);

describe('RedisLimiter', () => {
  it('a queued call runs in the async context of the code that queued it, not of the call that freed its slot', async () => {
    const limiter = new RedisLimiter({ redis: server.client('ioredis').scripts, key: 'context', limit: 1, lease: 1500 });
    const store = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    const calls = ['a', 'b', 'c'].map((name) =>
      store.run(name, () =>
        limiter.schedule(async () => {
          seen.push(store.getStore());
          await new Promise((resolve) => setTimeout(resolve, 10));
        }),
      ),
    );
    await Promise.all(calls);
    expect(seen).toEqual(['a', 'b', 'c']);
  });
});
