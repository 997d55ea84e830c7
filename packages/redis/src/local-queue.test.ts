import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { flush } from '@lf/test-support';
import type { RedisScripts } from './adapters.js';
import { RedisUnavailableError } from './errors.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';
import { Script } from './run-script.js';
import { ACQUIRE, CANCEL, CONFIRM } from './scripts.js';

/**
 * The local side of RedisRateLimiter, on fake time, against a scripted fake
 * Redis: what the server answers is decided by each test.
 */
type Kind = 'acquire' | 'cancel' | 'confirm' | 'other';
const digests = new Map<string, Kind>();

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
}

beforeAll(async () => {
  digests.set(await new Script(ACQUIRE).sha1(), 'acquire');
  digests.set(await new Script(CANCEL).sha1(), 'cancel');
  digests.set(await new Script(CONFIRM).sha1(), 'confirm');
  // Each script's digest is computed (Web Crypto, asynchronously) on its first use:
  // use all three once, on real time, so that the tests can count on microtasks alone.
  const redis = fakeRedis();
  const limiter = new RedisRateLimiter({ redis, key: 'warm', limit: 1, interval: 1000 });
  const controller = new AbortController();
  const aborted = limiter.acquire({ signal: controller.signal }).catch(() => undefined);
  const confirmed = limiter.acquire();
  await until(() => redis.calls.length === 2);
  controller.abort();
  redis.calls[0]!.answer([0, 1, 1, 1, 1]);
  redis.calls[1]!.answer([1, 2, 1, 1, 1]);
  await until(() => redis.calls.length === 4);
  for (const call of redis.calls.slice(2)) call.answer([0]);
  await Promise.all([aborted, confirmed]);
});

afterEach(() => {
  vi.useRealTimers();
});

interface Call {
  kind: Kind;
  args: string[];
  answer: (reply: unknown) => void;
  fail: (error: unknown) => void;
}

function fakeRedis(): RedisScripts & { calls: Call[] } {
  const calls: Call[] = [];
  const run = (sha1: string, _keys: string[], args: string[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      calls.push({ kind: digests.get(sha1) ?? 'other', args, answer: resolve, fail: reject });
    });
  return { calls, evalsha: run, eval: () => Promise.reject(new Error('EVAL not expected')) };
}

describe('RedisRateLimiter, this process’s side', () => {
  it('sleeps until a reserved slot, confirms it, and leaves no timer once nobody waits', async () => {
    vi.useFakeTimers();
    const redis = fakeRedis();
    const limiter = new RedisRateLimiter({ redis, key: 'k', limit: 1, interval: 1000 });
    let grantAt: number | undefined;
    void limiter.acquire().then((g) => (grantAt = g.at));
    await flush(10);
    const now = 5_000_000; // µs on the server
    redis.calls[0]!.answer([1, 7, now + 300_000, now, 42]);
    await flush(10);
    await vi.advanceTimersByTimeAsync(299);
    expect(redis.calls.filter((c) => c.kind === 'confirm')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2);
    const confirm = redis.calls.find((c) => c.kind === 'confirm')!;
    expect(confirm.args).toEqual(['42']);
    expect(grantAt).toBeUndefined();
    confirm.answer([0]);
    await flush(10);
    expect(grantAt).toBe(5300);
    expect(limiter.pendingCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a reservation voided by a restart (a new epoch) asks again', async () => {
    vi.useFakeTimers();
    const redis = fakeRedis();
    const limiter = new RedisRateLimiter({ redis, key: 'k', limit: 1, interval: 1000 });
    let grantAt: number | undefined;
    void limiter.acquire().then((g) => (grantAt = g.at));
    await flush(10);
    redis.calls[0]!.answer([1, 1, 1_100_000, 1_000_000, 1]);
    await vi.advanceTimersByTimeAsync(100);
    redis.calls.find((c) => c.kind === 'confirm')!.answer([1]);
    await flush(10);
    const again = redis.calls.filter((c) => c.kind === 'acquire');
    expect(again).toHaveLength(2);
    again[1]!.answer([0, 1, 9_000_000, 9_000_000, 2]);
    await flush(10);
    expect(grantAt).toBe(9000);
  });

  it('an abort while the request is on its way rejects at once and cancels the reservation when the reply comes', async () => {
    const redis = fakeRedis();
    const limiter = new RedisRateLimiter({ redis, key: 'k', limit: 1, interval: 1000 });
    const controller = new AbortController();
    const waiting = limiter.acquire({ signal: controller.signal });
    await flush(10);
    controller.abort('stop');
    await expect(waiting).rejects.toBe('stop');
    expect(limiter.pendingCount).toBe(0);
    redis.calls[0]!.answer([1, 9, 2_000_000, 1_000_000, 1]);
    await flush(10);
    const cancel = redis.calls.find((c) => c.kind === 'cancel')!;
    expect(cancel.args.slice(0, 2)).toEqual(['9', '1']);
    cancel.answer([0]);
  });

  it('releases in request order even when a later request’s reply comes first', async () => {
    const redis = fakeRedis();
    const limiter = new RedisRateLimiter({ redis, key: 'k', limit: 10, interval: 1000 });
    const order: number[] = [];
    const all = [0, 1, 2].map((i) => limiter.acquire().then(() => order.push(i)));
    await flush(10);
    redis.calls[2]!.answer([0, 3, 1_000_000, 1_000_000, 1]);
    redis.calls[1]!.answer([0, 2, 1_000_000, 1_000_000, 1]);
    await flush(10);
    expect(order).toEqual([]);
    redis.calls[0]!.answer([0, 1, 1_000_000, 1_000_000, 1]);
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2]);
  });

  it("a Redis error rejects that call with RedisUnavailableError (the client's error as cause) and the next ones go on", async () => {
    const redis = fakeRedis();
    const limiter = new RedisRateLimiter({ redis, key: 'k', limit: 10, interval: 1000 });
    const first = limiter.acquire();
    const second = limiter.acquire();
    await flush(10);
    const cause = new Error('ECONNRESET');
    redis.calls[0]!.fail(cause);
    redis.calls[1]!.answer([0, 2, 1_000_000, 1_000_000, 1]);
    const error = await first.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as Error).cause).toBe(cause);
    expect((await second).at).toBe(1000);
  });

  it("'allow' lets a call through when Redis fails, at the server time it last saw plus the time since", async () => {
    const redis = fakeRedis();
    const limiter = new RedisRateLimiter({ redis, key: 'k', limit: 10, interval: 1000, onUnavailable: 'allow' });
    const first = limiter.acquire();
    await flush(10);
    redis.calls[0]!.answer([0, 1, 1_000_000_000, 1_000_000_000, 1]);
    expect((await first).at).toBe(1_000_000);
    const second = limiter.acquire();
    await flush(10);
    redis.calls[1]!.fail(new Error('down'));
    const at = (await second).at;
    expect(at).toBeGreaterThanOrEqual(1_000_000);
    expect(at).toBeLessThan(1_000_000 + 1000);
  });
});
