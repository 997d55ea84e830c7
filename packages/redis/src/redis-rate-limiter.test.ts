import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_KINDS, connect } from '../test/clients.js';
import type { TestClient } from '../test/clients.js';
import { startRedis, stopRedis, until, waitUptime } from '../test/redis-server.js';
import type { RedisScripts } from './adapters.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

let port = 0;
const clients = new Map<string, TestClient>();
let keyCounter = 0;
const freshKey = (): string => `t${keyCounter++}`;

beforeAll(async () => {
  port = await startRedis();
  for (const kind of CLIENT_KINDS) clients.set(kind, await connect(kind, port));
  await waitUptime(port, 1); // the restart guard holds fresh state on a server younger than the interval
}, 15_000);

afterAll(async () => {
  for (const client of clients.values()) await client.close();
  stopRedis(port);
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The most cost granted in any window of `interval` ms, by `at`. */
function maxWindow(grants: readonly { at: number; cost: number }[], interval: number): number {
  const sorted = [...grants].sort((x, y) => x.at - y.at);
  let max = 0;
  let sum = 0;
  let lo = 0;
  for (const g of sorted) {
    sum += g.cost;
    while (sorted[lo]!.at <= g.at - interval) sum -= sorted[lo++]!.cost;
    max = Math.max(max, sum);
  }
  return max;
}

/** Counts the round trips a limiter makes. */
function counting(inner: RedisScripts): RedisScripts & { calls: number } {
  const counter = {
    calls: 0,
    evalsha: (sha1: string, keys: string[], args: string[]) => {
      counter.calls++;
      return inner.evalsha(sha1, keys, args);
    },
    eval: (script: string, keys: string[], args: string[]) => {
      counter.calls++;
      return inner.eval(script, keys, args);
    },
  };
  return counter;
}

describe.each(CLIENT_KINDS)('RedisRateLimiter with %s', (kind) => {
  const redis = (): RedisScripts => clients.get(kind)!.scripts;

  it('grants in one round trip when no wait is needed, at on the server clock', async () => {
    const scripts = counting(redis());
    const limiter = new RedisRateLimiter({ redis: scripts, key: freshKey(), limit: 5, interval: 1000 });
    await limiter.acquire(); // loads the script (EVALSHA, NOSCRIPT once per server, EVAL)
    scripts.calls = 0;
    const grant = await limiter.acquire();
    expect(scripts.calls).toBe(1);
    const [seconds, micros] = (await clients.get('ioredis')!.command('TIME')) as [string, string];
    const serverNow = Number(seconds) * 1000 + Number(micros) / 1000;
    expect(Math.abs(serverNow - grant.at)).toBeLessThan(500);
  });

  it('never grants more than the limit in any window, by grant.at, with random costs', async () => {
    const limiter = new RedisRateLimiter({
      redis: redis(),
      key: freshKey(),
      limits: { requests: { limit: 4, interval: 200 }, tokens: { limit: 10, interval: 300 } },
    });
    const costs = Array.from({ length: 14 }, (_, i) => ({ tokens: (i * 7) % 5 }));
    const grants = await Promise.all(costs.map((cost) => limiter.acquire({ cost }).then((g) => ({ at: g.at, ...cost }))));
    expect(
      maxWindow(
        grants.map((g) => ({ at: g.at, cost: 1 })),
        200,
      ),
    ).toBeLessThanOrEqual(4);
    expect(
      maxWindow(
        grants.map((g) => ({ at: g.at, cost: g.tokens })),
        300,
      ),
    ).toBeLessThanOrEqual(10);
  });

  it('releases this process’s waiters in FIFO order and counts them in pendingCount', async () => {
    const limiter = new RedisRateLimiter({ redis: redis(), key: freshKey(), limit: 2, interval: 150 });
    const order: number[] = [];
    const all = [5, 1, 3, 1, 2].map((cost, i) => limiter.acquire({ cost: Math.min(cost, 2) }).then(() => order.push(i)));
    expect(limiter.pendingCount).toBe(5);
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(limiter.pendingCount).toBe(0);
  });
});

describe('RedisRateLimiter', () => {
  const redis = (): RedisScripts => clients.get('ioredis')!.scripts;

  it('an abort before the slot rejects with the reason and gives the slot back to the next request', async () => {
    const key = freshKey();
    const limiter = new RedisRateLimiter({ redis: redis(), key, limit: 1, interval: 400 });
    const first = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire({ signal: controller.signal });
    await sleep(50);
    const reason = new Error('gave up');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(limiter.pendingCount).toBe(0);
    // The cancel is on its way (its first use on a server loads the script: one more round trip).
    const c = clients.get('ioredis')!;
    await until(async () => Number(await c.command('ZCARD', `lf:{${key}}::a`)) === 1, 3000, 'the cancel');
    const next = await limiter.acquire();
    expect(next.at - first.at).toBeGreaterThanOrEqual(400);
    expect(next.at - first.at).toBeLessThan(600); // the aborted one's slot, not the one after it
  });

  it('an already aborted signal rejects with its reason and sends nothing', async () => {
    const scripts = counting(redis());
    const limiter = new RedisRateLimiter({ redis: scripts, key: freshKey(), limit: 1, interval: 100 });
    const controller = new AbortController();
    controller.abort('stop');
    await expect(limiter.acquire({ signal: controller.signal })).rejects.toBe('stop');
    expect(scripts.calls).toBe(0);
  });

  it('settle replaces the recorded cost at the original time: a refund frees the window for the next call', async () => {
    const limiter = new RedisRateLimiter({ redis: redis(), key: freshKey(), limit: 10, interval: 2000 });
    const grant = await limiter.acquire({ cost: 10 });
    grant.settle(2);
    await sleep(30);
    const started = performance.now();
    const next = await limiter.acquire({ cost: 8 });
    expect(performance.now() - started).toBeLessThan(500);
    expect(next.at - grant.at).toBeLessThan(500);
  });

  it('settle with an extra charge holds later calls until it has left the window', async () => {
    const limiter = new RedisRateLimiter({ redis: redis(), key: freshKey(), limit: 10, interval: 300 });
    const grant = await limiter.acquire({ cost: 1 });
    grant.settle(10);
    await sleep(30);
    const next = await limiter.acquire({ cost: 1 });
    expect(next.at - grant.at).toBeGreaterThanOrEqual(300);
  });

  it('pause is shared: another process’s limiter grants nothing before it ends', async () => {
    const key = freshKey();
    const a = new RedisRateLimiter({ redis: redis(), key, limit: 100, interval: 1000 });
    const b = new RedisRateLimiter({ redis: clients.get('node-redis')!.scripts, key, limit: 100, interval: 1000 });
    const before = await a.acquire();
    a.pause(250);
    a.pause(50); // a shorter pause never shortens it
    await sleep(20);
    const after = await b.acquire();
    expect(after.at - before.at).toBeGreaterThanOrEqual(250);
  });

  it('keeps every key of one limiter under one hash tag, and they expire when idle', async () => {
    const key = freshKey();
    const limiter = new RedisRateLimiter({
      redis: redis(),
      key,
      limits: { a: { limit: 5, interval: 500 }, b: { limit: 5, interval: 300 } },
    });
    await limiter.acquire();
    const c = clients.get('ioredis')!;
    const keys = (await c.command('KEYS', `*${key}*`)) as string[];
    expect(keys.length).toBe(5); // the meta hash, and per limit its sliding log: two sorted sets (slots, running totals)
    for (const k of keys) {
      expect(k.startsWith(`lf:{${key}}:`)).toBe(true);
      const ttl = Number(await c.command('PTTL', k));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(500 + 2000); // the longest interval, plus at most 2 s of slack
    }
  });

  it('refuses bad input before sending anything: unknown options, bad limits, costs and keys', async () => {
    const scripts = counting(redis());
    const base = { redis: scripts, key: 'k', limit: 1, interval: 100 };
    // @ts-expect-error: a typo is a compile error too
    expect(() => new RedisRateLimiter({ ...base, comandTimeout: 5 })).toThrow(
      /unknown option 'comandTimeout' \(did you mean 'commandTimeout'\?\)/,
    );
    expect(() => new RedisRateLimiter({ ...base, limit: 0 })).toThrow(RangeError);
    expect(() => new RedisRateLimiter({ ...base, key: 'a{b}' })).toThrow(/key/);
    expect(() => new RedisRateLimiter({ ...base, commandTimeout: 0 })).toThrow(/commandTimeout/);
    // @ts-expect-error: not a policy
    expect(() => new RedisRateLimiter({ ...base, onUnavailable: 'ignore' })).toThrow(/onUnavailable/);
    // @ts-expect-error: not a RedisScripts
    expect(() => new RedisRateLimiter({ ...base, redis: {} })).toThrow(/redis must be a RedisScripts/);
    const limiter = new RedisRateLimiter(base);
    await expect(limiter.acquire({ cost: 2 })).rejects.toThrow(RangeError);
    // @ts-expect-error: unknown acquire option
    await expect(limiter.acquire({ sigal: undefined })).rejects.toThrow(/did you mean 'signal'/);
    expect(() => {
      limiter.pause(-1);
    }).toThrow(RangeError);
    expect(scripts.calls).toBe(0);
  });

  it('call and wrap wait for their slot, keep this and arguments, and cost what wrap’s cost says', async () => {
    const limiter = new RedisRateLimiter({ redis: redis(), key: freshKey(), limit: 3, interval: 300 });
    expect(await limiter.call(() => 42)).toBe(42);
    const target = { base: 10 };
    function plus(this: { base: number }, n: number): number {
      return this.base + n;
    }
    const add = limiter.wrap(plus, { cost: (n: number) => n });
    const started = performance.now();
    expect(await add.call(target, 2)).toBe(12); // 1 + 2 = 3: the window is full
    expect(await add.call(target, 1)).toBe(11); // waits for the first call to leave it
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
  });
});
