/**
 * RedisLimiter across real processes on a real redis-server: the
 * concurrency bound (counted in and out in a Redis key by the holders
 * themselves), a SIGKILLed holder's slots coming back by lease expiry, and a
 * Redis restart that loses every lease. Every child is SIGKILLed after each
 * test, every server stopped after the file.
 *
 * What a restart without persistence can and cannot guarantee (the statement
 * the restart test checks): every lease is lost with the state. From the
 * restart on, at no moment are more than `limit` holders in that have not
 * been told to stop (LeaseLostError on their ctx.signal). An old holder is
 * told when its next renewal finds its lease gone, or, while Redis is away,
 * when its local deadline (the lease minus a margin) passes; the restart
 * guard grants nothing until one lease after Redis started, so no new holder
 * overlaps an old one that has not been told. What it cannot do: keep the old
 * holders' slots (their work is interrupted), or stop a holder that ignores
 * its signal. With `appendonly yes` the leases survive a restart.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanBundles } from '../test/fleet.js';
import type { LimiterChildConfig, LimiterChildEvent } from '../test/limiter-child.js';
import { killAll, startChild } from '../test/processes.js';
import type { Child } from '../test/processes.js';
import { redisCli, startRedis, stopRedis, waitUptime } from '../test/redis-server.js';

let port = 0;
/** A second server for the in/out counts: restarting the limiter's Redis must not reset them. */
let countPort = 0;

beforeAll(async () => {
  [port, countPort] = [await startRedis(), await startRedis()];
  await waitUptime(port, 1);
}, 15_000);

afterEach(() => {
  killAll();
});

afterAll(() => {
  killAll();
  stopRedis(port);
  stopRedis(countPort);
  cleanBundles();
  // Every server this file started is gone.
  for (const p of [port, countPort]) expect(redisCli(p, 'ping')).toBe('');
});

type LimiterChild = Child<LimiterChildEvent>;

const debug = (...args: unknown[]): void => {
  if (process.env.LF_FLEET_DEBUG !== undefined) console.log(...args);
};

function config(key: string, overrides: Partial<LimiterChildConfig> = {}): LimiterChildConfig {
  return {
    port,
    countPort,
    countKey: `${key}:count`,
    client: 'ioredis',
    key,
    limit: 5,
    lease: 1000,
    loops: 2,
    hold: [10, 60],
    duration: 2500,
    ...overrides,
  };
}

function start(cfg: LimiterChildConfig): Promise<LimiterChild> {
  return startChild<LimiterChildEvent>('limiter-child.ts', cfg);
}

const ins = (children: readonly LimiterChild[]): Extract<LimiterChildEvent, { e: 'in' }>[] =>
  children.flatMap((c) => c.events.filter((e): e is Extract<LimiterChildEvent, { e: 'in' }> => e.e === 'in'));
const errors = (children: readonly LimiterChild[]): LimiterChildEvent[] =>
  children.flatMap((c) => c.events.filter((e) => e.e === 'error' || e.e === 'lost'));

describe('RedisLimiter shared by 8 processes', () => {
  it('never lets more than limit holders in at once, counted in and out by the holders in Redis, and uses every slot', async () => {
    // 8 processes x 2 holders = 16 asking for 5 slots, both client libraries.
    const children = await Promise.all(
      Array.from({ length: 8 }, (_, i) => start(config('eight', { client: i % 4 === 3 ? 'node-redis' : 'ioredis' }))),
    );
    debug('eight: started');
    for (const c of children) c.go();
    await Promise.all(children.map((c) => c.exited));
    const counted = ins(children);
    debug(
      'eight: holds',
      counted.length,
      'by process',
      children.map((c) => ins([c]).length),
    );
    expect(errors(children)).toEqual([]);
    expect(Math.max(...counted.map((e) => e.n))).toBe(5);
    // Every process got slots (waiters are not starved), and the count is back to 0.
    for (const c of children) expect(c.events.some((e) => e.e === 'in')).toBe(true);
    expect(redisCli(countPort, 'GET', 'eight:count')).toBe('0');
  }, 60_000);
});

describe('a holder SIGKILLed while it holds slots', () => {
  it('frees them by lease expiry: a waiting process gets them all within lease + a margin, not later', async () => {
    const lease = 1000;
    // A takes all 5 slots and holds them (renewing) until it is killed; B's 5 holders wait.
    const a = await start(config('killed', { loops: 5, hold: [60_000, 60_000], duration: 100, lease }));
    const b = await start(config('killed', { loops: 5, hold: [3000, 3000], duration: 100, lease }));
    a.go();
    await a.waitFor((e) => e.e === 'in' && e.n === 5, 10_000, 'A holding 5 slots');
    b.go();
    // B asks while A holds everything, and is still waiting well past a lease: A renews.
    await new Promise((resolve) => setTimeout(resolve, lease * 1.5));
    expect(ins([b])).toEqual([]);
    const killedAt = Date.now();
    await a.kill();
    // A's five in-counts are still in the key: take them out (A will never count itself out).
    redisCli(countPort, 'DECRBY', 'killed:count', '5');
    await b.waitFor((e) => e.e === 'in' && ins([b]).length === 5, lease + 5000, 'B holding 5 slots');
    const back = ins([b]).map((e) => e.t - killedAt);
    debug('slots back after the kill (ms):', back);
    // The lease was renewed at most lease ms before the kill, so every slot is free by then;
    // 800 ms for B's timer, the script and the count on a loaded machine. A slower path
    // (a fallback poll of several leases, a key TTL) fails this.
    expect(Math.max(...back)).toBeLessThanOrEqual(lease + 800);
    expect(Math.max(...ins([b]).map((e) => e.n))).toBeLessThanOrEqual(5);
    await b.exited;
    expect(errors([b])).toEqual([]);
  }, 60_000);
});

describe('a Redis restart in the middle of a run (shutdown nosave: every lease is lost)', () => {
  it('once Redis is back, no more than limit holders are in at once, not counting those told LeaseLostError; the run goes on', async () => {
    const lease = 1000;
    const children = await Promise.all(
      Array.from({ length: 4 }, () =>
        start(config('restart', { loops: 3, hold: [300, 2500], duration: 5000, lease, commandTimeout: 500 })),
      ),
    );
    for (const c of children) c.go();
    await new Promise((resolve) => setTimeout(resolve, 1200));
    stopRedis(port);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await startRedis(port);
    const restartedAt = Date.now();
    await Promise.all(children.map((c) => c.exited));
    const counted = ins(children);
    debug(
      'restart: holds',
      counted.length,
      'max',
      Math.max(...counted.map((e) => e.n)),
      'after the restart',
      counted.filter((e) => e.t > restartedAt).length,
    );
    debug(
      'restart: lost / errors',
      errors(children)
        .map((e) => (e.e === 'error' ? e.name : e.e))
        .join(' '),
    );
    // The count: in at the grant, out at the end of the work or at the LeaseLostError, whichever comes first.
    expect(Math.max(...counted.map((e) => e.n))).toBeLessThanOrEqual(5);
    // The holders that spanned the restart were told: their renewal found the lease gone.
    expect(children.flatMap((c) => c.events).filter((e) => e.e === 'lost').length).toBeGreaterThan(0);
    // Holders went on after the restart.
    expect(counted.filter((e) => e.t > restartedAt + 2 * lease).length).toBeGreaterThan(0);
    expect(redisCli(countPort, 'GET', 'restart:count')).toBe('0');
  }, 60_000);
});
