import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../test/clients.js';
import type { ClientKind, TestClient } from '../test/clients.js';
import { startRedis, stopRedis, waitUptime } from '../test/redis-server.js';
import { RedisUnavailableError } from './errors.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

const COMMAND_TIMEOUT = 300;
/** What a loaded machine may add to a timer. */
const MARGIN = 400;

describe.each<ClientKind>(['ioredis', 'node-redis'])('RedisRateLimiter when Redis is unavailable (%s)', (kind) => {
  let port = 0;
  let client: TestClient;

  beforeAll(async () => {
    port = await startRedis();
    client = await connect(kind, port);
    await waitUptime(port, 1);
  }, 10_000);

  afterAll(async () => {
    await client.close();
    stopRedis(port);
  });

  it("'reject' rejects with RedisUnavailableError within commandTimeout; 'allow' lets calls through; limiting resumes when Redis returns", async () => {
    const options = { redis: client.scripts, key: `down-${kind}`, limit: 2, interval: 300, commandTimeout: COMMAND_TIMEOUT };
    const strict = new RedisRateLimiter(options);
    const open = new RedisRateLimiter({ ...options, onUnavailable: 'allow' });
    const first = await strict.acquire();

    stopRedis(port);
    try {
      let started = performance.now();
      const error = await strict.acquire().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect((error as Error).name).toBe('RedisUnavailableError');
      expect(performance.now() - started).toBeLessThan(COMMAND_TIMEOUT + MARGIN);

      started = performance.now();
      const grants = await Promise.all([open.acquire(), open.acquire(), open.acquire()]);
      expect(performance.now() - started).toBeLessThan(COMMAND_TIMEOUT + MARGIN);
      expect(grants).toHaveLength(3);

      // Fire-and-forget calls on a dead server settle quietly (the hygiene guard fails the test otherwise).
      strict.pause(10);
      first.settle(0);
      grants[0].settle(1);
      await new Promise((resolve) => setTimeout(resolve, COMMAND_TIMEOUT + 50));
    } finally {
      await startRedis(port);
    }

    // Back (state lost, young server: the restart guard holds the first admissions for up to one interval).
    let back: number | undefined;
    const deadline = performance.now() + 5000;
    while (back === undefined && performance.now() < deadline) {
      back = await strict.acquire().then(
        (grant) => grant.at,
        () => undefined,
      );
    }
    expect(back).toBeDefined();
    const after = await Promise.all([strict.acquire(), strict.acquire(), strict.acquire()]);
    const ats = [back!, ...after.map((g) => g.at)].sort((x, y) => x - y);
    expect(ats[2]! - ats[0]!).toBeGreaterThanOrEqual(300); // 2 per 300 ms again
    expect(ats[3]! - ats[1]!).toBeGreaterThanOrEqual(300);
  }, 20_000);
});
