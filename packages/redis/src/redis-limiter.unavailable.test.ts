import { describe, expect, it } from 'vitest';
import type { ClientKind } from '../test/clients.js';
import { useRedis } from '../test/redis-fixture.js';
import { startRedis, stopRedis, until } from '../test/redis-server.js';
import { LeaseLostError, RedisUnavailableError } from './errors.js';
import { RedisLimiter } from './redis-limiter.js';

/** RedisLimiter when its Redis goes away or restarts (each client library on a server of its own). */
const COMMAND_TIMEOUT = 300;
/** What a loaded machine may add to a timer. */
const MARGIN = 400;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.each<ClientKind>(['ioredis', 'node-redis'])('RedisLimiter when Redis is unavailable (%s)', (kind) => {
  const server = useRedis([kind]);
  const client = {
    get scripts() {
      return server.client(kind).scripts;
    },
    command: (...args: string[]) => server.client(kind).command(...args),
  };
  let keys = 0;
  const key = (): string => `down-${kind}-${keys++}`;

  it("'reject' rejects with RedisUnavailableError within commandTimeout, stops a holder before its lease ends; 'allow' lets calls through and keeps its holders", async () => {
    const lease = 1500;
    const options = { redis: client.scripts, limit: 1, lease, commandTimeout: COMMAND_TIMEOUT };
    const strictKey = key();
    const strict = new RedisLimiter({ ...options, key: strictKey });
    const open = new RedisLimiter({ ...options, key: key(), onUnavailable: 'allow' });
    const strictHeld = await strict.acquire();
    const openHeld = await open.acquire();
    // When the strict lease expires on the server, on this process's clock (read before its first renewal, at lease / 3).
    const [score, [seconds, micros]] = (await Promise.all([
      client.command('ZRANGE', `lf:{${strictKey}}:lease`, '0', '0', 'WITHSCORES').then((r) => Number((r as string[])[1])),
      client.command('TIME'),
    ])) as [number, [string, string]];
    const expiresAt = performance.now() + (score - (Number(seconds) * 1e6 + Number(micros))) / 1000;

    stopRedis(server.port);
    try {
      let started = performance.now();
      const error = await strict.acquire().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect(performance.now() - started).toBeLessThan(COMMAND_TIMEOUT + MARGIN);

      started = performance.now();
      const passed = await Promise.all([open.acquire(), open.run(() => 'ran')]);
      expect(performance.now() - started).toBeLessThan(COMMAND_TIMEOUT + MARGIN);
      expect(passed[1]).toBe('ran');
      passed[0](); // fail-open: nothing recorded, nothing to release

      // The strict holder is stopped before its lease can expire on the server.
      await until(() => strictHeld.signal.aborted, 3000, 'the strict holder to stop');
      expect(performance.now()).toBeLessThan(expiresAt);
      expect(strictHeld.signal.reason).toBeInstanceOf(LeaseLostError);
      await sleep(expiresAt - performance.now() + 100);
      expect(openHeld.signal.aborted).toBe(false); // 'allow': Redis being away never stops a holder
      strictHeld(); // sent, fails quietly
    } finally {
      await startRedis(server.port);
    }
    // Back, with its state lost: the fail-open holder's renewal finds its lease gone.
    await until(() => openHeld.signal.aborted, 3000, 'the renewal to find the lease gone');
    expect(openHeld.signal.reason).toBeInstanceOf(LeaseLostError);
    openHeld();
    expect(strict.activeCount + open.activeCount).toBe(0);
  }, 20_000);

  it('a restart without persistence: the holder sees LeaseLostError, and the slot is granted again only after it, behind the restart guard', async () => {
    const k = key();
    const lease = 1500;
    const a = new RedisLimiter({ redis: client.scripts, key: k, limit: 1, lease, commandTimeout: COMMAND_TIMEOUT });
    const events: string[] = [];
    const held = await a.acquire();
    held.signal.addEventListener('abort', () => events.push('holder lost its lease'));
    stopRedis(server.port);
    await startRedis(server.port);
    const restarted = performance.now();
    let release: (() => void) | undefined;
    while (release === undefined) {
      release = await a.acquire().catch(() => undefined);
    }
    events.push('granted again');
    expect(events).toEqual(['holder lost its lease', 'granted again']);
    expect(held.signal.reason).toBeInstanceOf(LeaseLostError);
    // The guard holds a new state on a server up for less than one lease (the stop and start took part of it).
    expect(performance.now() - restarted).toBeGreaterThan(lease - 1000 - MARGIN);
    held();
    release();
  }, 20_000);
});
