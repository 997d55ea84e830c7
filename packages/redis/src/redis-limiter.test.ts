import { describe, expect, it } from 'vitest';
import type { ClientKind, TestClient } from '../test/clients.js';
import { useRedis } from '../test/redis-fixture.js';
import { redisCli, until } from '../test/redis-server.js';
import type { RedisScripts } from './adapters.js';
import { LeaseLostError } from './errors.js';
import { RedisLimiter } from './redis-limiter.js';

/**
 * RedisLimiter in one process, on a real redis-server (both client
 * libraries). Leases are short (300-1500 ms) so the suite stays fast;
 * real-time assertions bound only the side the guarantee fixes.
 */
const KINDS: readonly ClientKind[] = ['ioredis', 'node-redis'];
const server = useRedis(KINDS);
let keyCounter = 0;
const freshKey = (): string => `l${keyCounter++}`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts the 'abort' listeners on `signal` (added minus removed; a fired `once` listener is gone too). */
function spyListeners(signal: AbortSignal): { count(): number } {
  const live = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, listener: EventListener, options?: AddEventListenerOptions) => {
    live.add(listener);
    add(type, listener, options);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, listener: EventListener, options?: EventListenerOptions) => {
    live.delete(listener);
    remove(type, listener, options);
  }) as typeof signal.removeEventListener;
  return { count: () => (signal.aborted ? 0 : live.size) };
}

/** A Redis that counts what it is sent (and fails it): the input checks send nothing. */
let sent = 0;
const send = (): Promise<unknown> => {
  sent++;
  return Promise.reject(new Error('nothing may be sent'));
};
const untouchable: RedisScripts = { evalsha: send, eval: send };

describe.each(KINDS)('RedisLimiter with %s', (kind) => {
  const redis = (): RedisScripts => server.client(kind).scripts;

  it('never has more than limit holders at once, with many concurrent calls counted in and out', async () => {
    const limiter = new RedisLimiter({ redis: redis(), key: freshKey(), limit: 3, lease: 1500 });
    let inside = 0;
    let most = 0;
    const done = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        limiter.run(async () => {
          inside++;
          most = Math.max(most, inside);
          await sleep(5 + (i % 4) * 5);
          inside--;
          return i;
        }),
      ),
    );
    expect(done).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(most).toBeLessThanOrEqual(3);
    expect(most).toBe(3);
    expect(limiter.activeCount).toBe(0);
    expect(limiter.pendingCount).toBe(0);
  });

  it('grants this process’s waiters in FIFO order and counts them in pendingCount', async () => {
    const limiter = new RedisLimiter({ redis: redis(), key: freshKey(), limit: 1, lease: 1500 });
    const first = await limiter.acquire();
    const order: number[] = [];
    const all = [0, 1, 2, 3, 4].map((i) =>
      limiter.acquire().then((release) => {
        order.push(i);
        release();
      }),
    );
    expect(limiter.pendingCount).toBe(5);
    expect(limiter.activeCount).toBe(1);
    first();
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('pub/sub: a release through one client wakes a waiter on another promptly, long before the fallback timer', async () => {
    const key = freshKey();
    const a = new RedisLimiter({ redis: server.client(kind === 'ioredis' ? 'node-redis' : 'ioredis').scripts, key, limit: 1, lease: 3000 });
    const b = new RedisLimiter({ redis: redis(), key, limit: 1, lease: 3000 });
    const held = await a.acquire();
    let granted = 0;
    const waiting = b.acquire().then((release) => {
      granted = performance.now();
      return release;
    });
    await sleep(300); // refused, subscribed
    expect(b.pendingCount).toBe(1);
    const released = performance.now();
    held();
    const release = await waiting;
    expect(granted - released).toBeLessThan(1000); // the fallback is the lease's expiry, 3 s after its grant
    release();
  });
});

describe('RedisLimiter', () => {
  const c = (): TestClient => server.client('ioredis');
  const redis = (): RedisScripts => c().scripts;

  it('two limiters on two clients sharing a key never have more than limit holders together', async () => {
    const key = freshKey();
    const limiters = KINDS.map((kind) => new RedisLimiter({ redis: server.client(kind).scripts, key, limit: 4, lease: 1500 }));
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        limiters[i % 2]!.schedule(async () => {
          inside++;
          most = Math.max(most, inside);
          await sleep(3 + (i % 5) * 4);
          inside--;
        }),
      ),
    );
    expect(most).toBeLessThanOrEqual(4);
    expect(most).toBeGreaterThan(1);
  });

  it('schedule hands fn a signal and releases the slot when fn settles, also when it throws', async () => {
    const key = freshKey();
    const limiter = new RedisLimiter({ redis: redis(), key, limit: 1, lease: 1000 });
    const seen = await limiter.schedule(({ signal }) => signal);
    expect(seen).toBeInstanceOf(AbortSignal);
    expect(seen.aborted).toBe(false);
    await expect(
      limiter.schedule(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await limiter.run((a: number, b: number) => a + b, 2, 3)).toBe(5);
    expect(limiter.activeCount).toBe(0);
    await until(async () => Number(await c().command('ZCARD', `lf:{${key}}:lease`)) === 0, 3000, 'the releases');
  });

  it('releasing twice is a no-op: the second call frees nobody else’s slot', async () => {
    const key = freshKey();
    const limiter = new RedisLimiter({ redis: redis(), key, limit: 2, lease: 1500 });
    const a = await limiter.acquire();
    a();
    const b = await limiter.acquire();
    const d = await limiter.acquire();
    a();
    await sleep(50);
    expect(Number(await c().command('ZCARD', `lf:{${key}}:lease`))).toBe(2);
    expect(limiter.activeCount).toBe(2);
    b();
    d();
  });

  it('an abort while waiting rejects at once with the reason and leaves nothing behind; a granted wait removes its listener', async () => {
    const limiter = new RedisLimiter({ redis: redis(), key: freshKey(), limit: 1, lease: 1500 });
    const held = await limiter.acquire();
    const controller = new AbortController();
    const spied = spyListeners(controller.signal);
    const waiting = limiter.schedule(() => 'never', { signal: controller.signal });
    const other = new AbortController();
    const otherSpied = spyListeners(other.signal);
    const next = limiter.acquire({ signal: other.signal });
    await sleep(30);
    expect(limiter.pendingCount).toBe(2);
    expect(spied.count()).toBe(1);
    const reason = new Error('gave up');
    const started = performance.now();
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(100);
    expect(limiter.pendingCount).toBe(1);
    held();
    const release = await next;
    expect(otherSpied.count()).toBe(0);
    release();
    expect(limiter.activeCount).toBe(0);
    expect(limiter.pendingCount).toBe(0);
  });

  it('an already aborted signal rejects with its reason and sends nothing; bad input is refused before anything is sent', async () => {
    const scripts = untouchable;
    const limiter = new RedisLimiter({ redis: scripts, key: freshKey(), limit: 1 });
    await expect(limiter.acquire({ signal: AbortSignal.abort('stop') })).rejects.toBe('stop');
    // @ts-expect-error: a typo is a compile error too
    await expect(limiter.acquire({ sigal: undefined })).rejects.toThrow(/unknown option 'sigal' \(did you mean 'signal'\?\)/);
    // @ts-expect-error: not a function
    expect(() => limiter.run(42)).toThrow(TypeError);
    // @ts-expect-error: not a function
    expect(() => limiter.schedule('x')).toThrow(/fn/);
    const base = { redis: scripts, key: 'k', limit: 1 };
    // @ts-expect-error: a typo is a compile error too
    expect(() => new RedisLimiter({ ...base, leese: 5 })).toThrow(/unknown option 'leese' \(did you mean 'lease'\?\)/);
    expect(() => new RedisLimiter({ ...base, limit: 0 })).toThrow(RangeError);
    expect(() => new RedisLimiter({ ...base, limit: 1.5 })).toThrow(/limit/);
    expect(() => new RedisLimiter({ ...base, limit: Infinity })).toThrow(/limit/);
    expect(() => new RedisLimiter({ ...base, lease: 0 })).toThrow(/lease/);
    expect(() => new RedisLimiter({ ...base, commandTimeout: -1 })).toThrow(/commandTimeout/);
    // @ts-expect-error: not a policy
    expect(() => new RedisLimiter({ ...base, onUnavailable: 'ignore' })).toThrow(/onUnavailable/);
    expect(() => new RedisLimiter({ ...base, key: '' })).toThrow(/key/);
    // @ts-expect-error: no options
    expect(() => new RedisLimiter()).toThrow(TypeError);
    expect(sent).toBe(0);
  });

  it('a lease is renewed while its holder runs past the lease, and its signal stays live', async () => {
    const limiter = new RedisLimiter({ redis: redis(), key: freshKey(), limit: 1, lease: 300 });
    const signal = await limiter.schedule(async ({ signal }) => {
      await sleep(900);
      return signal;
    });
    expect(signal.aborted).toBe(false);
    expect(signal.reason).toBeUndefined();
  });

  it('fencing: a lost lease’s late release does not free the slot its successor holds', async () => {
    const key = freshKey();
    let down = false;
    const inner = redis();
    const flaky: RedisScripts = {
      evalsha: (sha1, keys, args) => (down ? Promise.reject(new Error('cut off')) : inner.evalsha(sha1, keys, args)),
      eval: (script, keys, args) => (down ? Promise.reject(new Error('cut off')) : inner.eval(script, keys, args)),
    };
    const a = new RedisLimiter({ redis: flaky, key, limit: 1, lease: 400, commandTimeout: 200 });
    const b = new RedisLimiter({ redis: server.client('node-redis').scripts, key, limit: 1, lease: 1500 });
    const lost = await a.acquire();
    down = true; // a's renewals fail: its lease is lost, and expires on the server
    await until(() => lost.signal.aborted, 2000, 'the lease loss');
    expect(lost.signal.reason).toBeInstanceOf(LeaseLostError);
    const successor = await b.acquire({ signal: AbortSignal.timeout(3000) });
    down = false;
    lost(); // late: its token is not the successor's
    await sleep(100);
    expect(Number(await c().command('ZCARD', `lf:{${key}}:lease`))).toBe(1);
    const third = new RedisLimiter({ redis: redis(), key, limit: 1, lease: 1500 });
    const refused = await third.acquire({ signal: AbortSignal.timeout(300) }).then(
      () => 'granted',
      () => 'still held',
    );
    expect(refused).toBe('still held');
    successor();
  });

  it('lease loss: a holder whose Redis pauses past the lease sees LeaseLostError before another holder is granted the slot', async () => {
    const key = freshKey();
    const events: string[] = [];
    const a = new RedisLimiter({ redis: redis(), key, limit: 1, lease: 600, commandTimeout: 200 });
    const b = new RedisLimiter({ redis: server.client('node-redis').scripts, key, limit: 1, lease: 600, commandTimeout: 200 });
    let started!: () => void;
    const holding = new Promise<void>((resolve) => (started = resolve));
    const holder = a.schedule(
      ({ signal }) =>
        new Promise<unknown>((resolve) => {
          started();
          signal.addEventListener('abort', () => {
            events.push('a lost its lease');
            resolve(signal.reason);
          });
        }),
    );
    await holding;
    const contender = (async () => {
      for (;;) {
        try {
          const release = await b.acquire();
          events.push('b granted');
          return release;
        } catch {
          // Redis paused: the command timed out; ask again
        }
      }
    })();
    await sleep(50);
    redisCli(server.port, 'client', 'pause', '1500', 'all');
    const reason = await holder;
    expect(reason).toBeInstanceOf(LeaseLostError);
    expect((reason as Error).name).toBe('LeaseLostError');
    const release = await contender;
    expect(events).toEqual(['a lost its lease', 'b granted']);
    release();
  }, 10_000);

  it('a lost pub/sub message only delays: the waiter asks again at the earliest lease expiry', async () => {
    const key = freshKey();
    const inner = server.client('node-redis').scripts;
    const deaf: RedisScripts = {
      evalsha: (sha1, keys, args) => inner.evalsha(sha1, keys, args),
      eval: (script, keys, args) => inner.eval(script, keys, args),
      subscribe: (channel) => inner.subscribe!(channel, () => undefined), // every message is lost
    };
    const a = new RedisLimiter({ redis: redis(), key, limit: 1, lease: 900 });
    const b = new RedisLimiter({ redis: deaf, key, limit: 1, lease: 900 });
    const held = await a.acquire();
    const asked = performance.now();
    const waiting = b.acquire({ signal: AbortSignal.timeout(4000) });
    await sleep(100);
    held();
    const release = await waiting;
    expect(performance.now() - asked).toBeGreaterThanOrEqual(500); // not woken by the release
    release();
  });
});
