import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildConfig, ChildGrant } from '../test/child.js';
import { cleanBundles, runFleet } from '../test/fleet.js';
import { startRedis, stopRedis, waitUptime } from '../test/redis-server.js';

/** The most cost granted in any window of `interval` ms, by `time`. */
function maxWindow(grants: readonly ChildGrant[], interval: number, time: (g: ChildGrant) => number = (g) => g.at): number {
  const sorted = [...grants].sort((x, y) => time(x) - time(y));
  let max = 0;
  let sum = 0;
  let lo = 0;
  for (const g of sorted) {
    sum += g.cost;
    while (time(sorted[lo]!) <= time(g) - interval) sum -= sorted[lo++]!.cost;
    max = Math.max(max, sum);
  }
  return max;
}

/** Cost granted in the whole windows from the first grant on, over what the limit allows in them. */
function utilisation(grants: readonly ChildGrant[], limit: number, interval: number): number {
  const ats = grants.map((g) => g.at).sort((x, y) => x - y);
  const first = ats[0]!;
  const windows = Math.floor((ats[ats.length - 1]! - first) / interval);
  const end = first + windows * interval;
  let cost = 0;
  for (const g of grants) if (g.at < end) cost += g.cost;
  return cost / (windows * limit);
}

let port = 0;

beforeAll(async () => {
  port = await startRedis();
  await waitUptime(port, 1);
}, 10_000);

afterAll(() => {
  stopRedis(port);
  cleanBundles();
});

const LIMIT = 60;
const INTERVAL = 400;

function fleet(key: string, count: number, duration: number, offsets: Record<number, number> = {}): ChildConfig[] {
  return Array.from({ length: count }, (_, i) => ({
    port,
    key,
    client: i % 4 === 3 ? 'node-redis' : 'ioredis',
    limits: { requests: { limit: LIMIT, interval: INTERVAL }, tokens: { limit: LIMIT * 2, interval: INTERVAL * 2 } },
    costMax: 4,
    clockOffset: offsets[i] ?? 0,
    duration,
    loops: 3,
    commandTimeout: 1000,
  }));
}

describe('RedisRateLimiter shared by 8 processes', () => {
  it('never grants more than the limit in any window by grant.at, uses >= 90% of it, and clocks shifted by ±3 s change nothing', async () => {
    const results = await runFleet(fleet('fleet', 8, 2000, { 0: 3000, 1: -3000 }));
    const grants = results.flatMap((r) => r.grants);
    expect(results.every((r) => r.failures === 0)).toBe(true);
    expect(maxWindow(grants, INTERVAL)).toBeLessThanOrEqual(LIMIT);
    expect(maxWindow(grants, INTERVAL * 2)).toBeLessThanOrEqual(LIMIT * 2);
    expect(utilisation(grants, LIMIT, INTERVAL)).toBeGreaterThanOrEqual(0.9);
    // The shifted processes got their share like the others (FIFO by arrival at Redis).
    const share = grants.length / 8;
    for (const r of results) expect(r.grants.length).toBeGreaterThan(share / 3);
  }, 60_000);

  it('across a Redis restart in the middle of the run (state lost): no window above the limit, and grants go on', async () => {
    let restartedAt = 0;
    const results = await runFleet(fleet('restart', 4, 2500), async () => {
      await new Promise((resolve) => setTimeout(resolve, 700));
      stopRedis(port);
      await new Promise((resolve) => setTimeout(resolve, 150));
      await startRedis(port);
      restartedAt = Date.now();
    });
    const grants = results.flatMap((r) => r.grants);
    expect(maxWindow(grants, INTERVAL)).toBeLessThanOrEqual(LIMIT);
    expect(maxWindow(grants, INTERVAL * 2)).toBeLessThanOrEqual(LIMIT * 2);
    // The restart guard holds admissions for up to one (the longest) interval after the restart; then they go on.
    expect(grants.filter((g) => g.local > restartedAt + INTERVAL * 2).length).toBeGreaterThan(0);
  }, 60_000);
});
