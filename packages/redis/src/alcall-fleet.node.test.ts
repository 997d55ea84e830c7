/**
 * alcall across a fleet: two processes each run
 * `alcall(items, fn, { limiter: redisLimiter, rateLimiter: redisRateLimiter, cost })`
 * on one shared pair, on a real redis-server. Together they never exceed
 * either limit: concurrency by in/out counting in a Redis key, rate by
 * grant.at (the server's clock) in every window.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AlcallChildConfig, AlcallChildEvent, AlcallGrant } from '../test/alcall-child.js';
import { cleanBundles } from '../test/fleet.js';
import { killAll, startChild } from '../test/processes.js';
import { redisCli, startRedis, stopRedis, waitUptime } from '../test/redis-server.js';

let port = 0;

beforeAll(async () => {
  port = await startRedis();
  await waitUptime(port, 1);
}, 15_000);

afterEach(() => {
  killAll();
});

afterAll(() => {
  killAll();
  stopRedis(port);
  cleanBundles();
  // Every server this file started is gone.
  expect(redisCli(port, 'ping')).toBe('');
});

/** The most of `cost` granted in any window of `interval` ms, by grant.at. */
function maxWindow(grants: readonly AlcallGrant[], interval: number, cost: (g: AlcallGrant) => number): number {
  const sorted = [...grants].sort((x, y) => x.at - y.at);
  let max = 0;
  let sum = 0;
  let lo = 0;
  for (const g of sorted) {
    sum += cost(g);
    while (sorted[lo]!.at <= g.at - interval) sum -= cost(sorted[lo++]!);
    max = Math.max(max, sum);
  }
  return max;
}

describe('alcall in two processes on one shared RedisLimiter and RedisRateLimiter', () => {
  it('together they never exceed the concurrency limit nor either rate limit, and every item runs', async () => {
    const limits = { requests: { limit: 12, interval: 500 }, tokens: { limit: 60, interval: 500 } };
    const cfg = (client: AlcallChildConfig['client']): AlcallChildConfig => ({
      port,
      client,
      key: 'pair',
      countKey: 'pair:count',
      limit: 3,
      lease: 2000,
      limits,
      items: 30,
      tokensMax: 8,
      hold: 80,
    });
    const children = await Promise.all([
      startChild<AlcallChildEvent>('alcall-child.ts', cfg('ioredis')),
      startChild<AlcallChildEvent>('alcall-child.ts', cfg('node-redis')),
    ]);
    for (const c of children) c.go();
    const reports = await Promise.all(children.map((c) => c.waitFor((e) => e.e === 'done', 45_000, 'done')));
    const done = reports.map((r) => r as Extract<AlcallChildEvent, { e: 'done' }>);
    for (const r of done) {
      expect(r.error).toBeUndefined();
      expect(r.results).toBe(30);
    }
    // Concurrency: no holder ever counted more than 3 in, across both processes; and the slots were shared.
    const counts = done.flatMap((r) => r.counts);
    expect(Math.max(...counts)).toBeLessThanOrEqual(3);
    expect(Math.max(...counts)).toBe(3);
    // Rate: by grant.at, in every window of 500 ms, both limits hold over both processes' grants together.
    const grants = done.flatMap((r) => r.grants);
    expect(grants).toHaveLength(60);
    expect(maxWindow(grants, 500, (g) => g.requests)).toBeLessThanOrEqual(12);
    expect(maxWindow(grants, 500, (g) => g.tokens)).toBeLessThanOrEqual(60);
    expect(redisCli(port, 'GET', 'pair:count')).toBe('0');
  }, 60_000);
});
