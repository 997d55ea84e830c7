import { drain, FAKE_TIMERS, watch } from '@lf/test-support';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LeaseModel } from '../test/lease-model.js';
import type { RedisScripts } from './adapters.js';
import { LeaseLostError, RedisUnavailableError } from './errors.js';
import { LEASE_ACQUIRE, LEASE_RELEASE, LEASE_RENEW } from './lease-scripts.js';
import { RedisLimiter } from './redis-limiter.js';
import { Script } from './run-script.js';

/**
 * RedisLimiter's own side on the fake clock, against a fake Redis that runs
 * the pure model of the lease scripts (test/lease-model.ts) on a server
 * clock that follows the fake one. Each test decides whether that Redis
 * answers, fails or hangs.
 */
type Kind = 'acquire' | 'renew' | 'release';
const digests = new Map<string, Kind>();

interface FakeRedis extends RedisScripts {
  readonly model: LeaseModel;
  /** The scripts run, in order (a hanging or failing call counts too). */
  readonly calls: Kind[];
  mode: 'up' | 'down' | 'hang';
  /** How long (ms, fake time) each answer takes. */
  latency: number;
  /** Live subscriptions. */
  readonly listeners: Set<() => void>;
  /** Publishes a release on the channel (what another process's release does). */
  publish(): void;
  /** The server clock, µs. */
  serverNow(): number;
}

function fakeRedis(options: { subscribe?: boolean } = {}): FakeRedis {
  const model = new LeaseModel();
  const listeners = new Set<() => void>();
  const serverNow = (): number => 1_700_000_000_000_000 + Math.round(performance.now() * 1000);
  const run = (kind: Kind, args: string[]): number[] => {
    const [lease, ...rest] = args.map(Number) as [number, ...number[]];
    if (kind === 'acquire') return model.acquire(serverNow(), lease, rest[0]!, rest[1]!);
    if (kind === 'renew') return model.renew(serverNow(), lease, rest);
    const reply = model.release(serverNow(), lease, rest.slice(1));
    if (reply[0]! > 0) fake.publish();
    return reply;
  };
  const fake: FakeRedis = {
    model,
    calls: [],
    mode: 'up',
    latency: 0,
    listeners,
    serverNow,
    publish: () => {
      for (const listener of [...listeners]) listener();
    },
    evalsha: (sha1, _keys, args) => {
      const kind = digests.get(sha1);
      if (kind === undefined) return Promise.reject(new Error('NOSCRIPT'));
      fake.calls.push(kind);
      if (fake.mode === 'down') return Promise.reject(new Error('connection refused'));
      if (fake.mode === 'hang') return new Promise(() => undefined);
      if (fake.latency === 0) return Promise.resolve(run(kind, args));
      return new Promise((resolve) => setTimeout(() => resolve(run(kind, args)), fake.latency));
    },
    eval: () => Promise.reject(new Error('EVAL not expected')),
  };
  if (options.subscribe === true) {
    fake.subscribe = (_channel, listener) => {
      const entry = (): void => {
        listener();
      };
      listeners.add(entry);
      return {
        ready: Promise.resolve(),
        end: () => {
          listeners.delete(entry);
        },
      };
    };
  }
  return fake;
}

beforeAll(async () => {
  digests.set(await new Script(LEASE_ACQUIRE).sha1(), 'acquire');
  digests.set(await new Script(LEASE_RENEW).sha1(), 'renew');
  digests.set(await new Script(LEASE_RELEASE).sha1(), 'release');
  // Each script's digest is computed (Web Crypto, asynchronously) on its first use:
  // use all three once, on real time, so that the tests can count on microtasks alone.
  const limiter = new RedisLimiter({ redis: fakeRedis(), key: 'warm', limit: 1, lease: 30 });
  await limiter.schedule(() => new Promise((resolve) => setTimeout(resolve, 40)));
  await new Promise((resolve) => setTimeout(resolve, 20));
});

afterEach(() => {
  vi.useRealTimers();
});

/** Lets the fake Redis answer and the limiter react (microtasks and one real macrotask turn). */
async function settle(): Promise<void> {
  await drain();
  await drain();
}

describe('RedisLimiter, this process’s side', () => {
  it('leaves no timer and no subscription once nobody waits or holds', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const redis = fakeRedis({ subscribe: true });
    const limiter = new RedisLimiter({ redis, key: 'k', limit: 1, lease: 1000 });
    const release = await limiter.acquire();
    expect(vi.getTimerCount()).toBeGreaterThan(0); // renewal and deadline, while held
    const controller = new AbortController();
    const waiting = limiter.acquire({ signal: controller.signal });
    await settle();
    expect(redis.listeners.size).toBe(1); // refused: waits for a release
    controller.abort(new Error('not needed'));
    await expect(waiting).rejects.toThrow('not needed');
    release();
    await settle();
    expect(limiter.activeCount + limiter.pendingCount).toBe(0);
    expect(redis.listeners.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(redis.model.leases.size).toBe(0);
  });

  it('renews every lease / 3 while held, all of this process’s leases in one round trip', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const redis = fakeRedis();
    const limiter = new RedisLimiter({ redis, key: 'k', limit: 3, lease: 900 });
    const releases = await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    const asked = redis.calls.length;
    await vi.advanceTimersByTimeAsync(299);
    expect(redis.calls.slice(asked)).toEqual([]);
    await vi.advanceTimersByTimeAsync(2);
    expect(redis.calls.slice(asked)).toEqual(['renew']);
    await vi.advanceTimersByTimeAsync(1200);
    expect(redis.calls.slice(asked)).toEqual(['renew', 'renew', 'renew', 'renew', 'renew']);
    expect(releases.every((r) => !r.signal.aborted)).toBe(true);
    expect(redis.model.leases.size).toBe(3);
    for (const release of releases) release();
    await settle();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a Redis that stops answering: the holder’s signal aborts with LeaseLostError a quarter lease before the lease can expire', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const redis = fakeRedis();
    const limiter = new RedisLimiter({ redis, key: 'k', limit: 1, lease: 1000, commandTimeout: 100 });
    let signal!: AbortSignal;
    const holder = limiter.schedule(
      (ctx) =>
        new Promise((resolve) => {
          signal = ctx.signal;
          signal.addEventListener('abort', () => resolve(signal.reason));
        }),
    );
    await settle();
    redis.mode = 'hang';
    await vi.advanceTimersByTimeAsync(740);
    expect(signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    expect(signal.reason).toBeInstanceOf(LeaseLostError);
    expect(await holder).toBe(signal.reason);
    expect(redis.calls.filter((c) => c === 'renew').length).toBeGreaterThan(1); // it kept trying
    await vi.advanceTimersByTimeAsync(200); // the release's commandTimeout
    expect(limiter.activeCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a renewal that finds the lease gone aborts the holder at once; the lease counts in activeCount until released', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const redis = fakeRedis();
    const limiter = new RedisLimiter({ redis, key: 'k', limit: 1, lease: 900 });
    const release = await limiter.acquire();
    redis.model.restart(); // Redis lost its state
    await vi.advanceTimersByTimeAsync(301);
    expect(release.signal.reason).toBeInstanceOf(LeaseLostError);
    expect((release.signal.reason as Error).message).toMatch(/gone/);
    expect(limiter.activeCount).toBe(1);
    release();
    release();
    expect(limiter.activeCount).toBe(0);
    await settle();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('without pub/sub, a refused waiter asks again at the earliest lease expiry, not before', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const redis = fakeRedis();
    const [granted] = redis.model.acquire(redis.serverNow(), 500_000, 1, 1); // another process holds the slot for 500 ms
    expect(granted).toBe(1);
    const limiter = new RedisLimiter({ redis, key: 'k', limit: 1, lease: 1000 });
    const waiting = watch(limiter.acquire());
    await settle();
    expect(redis.calls).toEqual(['acquire']);
    const behind = watch(limiter.acquire()); // behind a waiting head: it sends nothing
    await vi.advanceTimersByTimeAsync(100);
    expect(redis.calls).toEqual(['acquire']);
    expect(limiter.pendingCount).toBe(2);
    await vi.advanceTimersByTimeAsync(395);
    expect(redis.calls).toEqual(['acquire']);
    expect(waiting.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(10);
    expect(redis.calls).toEqual(['acquire', 'acquire']);
    expect(waiting.settled).toBe(true);
    expect(behind.settled).toBe(false); // limit 1: it waits for the head's release
  });

  it('a release published by another process wakes the head at once; only the head asks, for every waiter', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const redis = fakeRedis({ subscribe: true });
    const [, token] = redis.model.acquire(redis.serverNow(), 10_000_000, 2, 2);
    const limiter = new RedisLimiter({ redis, key: 'k', limit: 2, lease: 1000 });
    const order: number[] = [];
    const waiters = [0, 1, 2].map((i) => limiter.acquire().then((release) => (order.push(i), release)));
    await settle();
    // one refused request, and one more once the subscription is in place (a release may have come meanwhile)
    expect(redis.calls).toEqual(['acquire', 'acquire']);
    redis.model.release(redis.serverNow(), 10_000_000, [token!, token! + 1]);
    redis.publish();
    await settle();
    expect(redis.calls).toEqual(['acquire', 'acquire', 'acquire']);
    expect(order).toEqual([0, 1]);
    const [first, second] = await Promise.all(waiters.slice(0, 2));
    first!();
    const third = await waiters[2]!;
    expect(order).toEqual([0, 1, 2]);
    second!();
    third();
  });

  it('an answer that comes too late to be of use gives the lease back and fails the wait', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const redis = fakeRedis();
    redis.latency = 800;
    const limiter = new RedisLimiter({ redis, key: 'k', limit: 1, lease: 1000, commandTimeout: 5000 });
    const waiting = limiter.acquire();
    const outcome = waiting.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(801);
    expect(await outcome).toBeInstanceOf(RedisUnavailableError);
    await vi.advanceTimersByTimeAsync(801); // the release
    expect(redis.model.leases.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("'allow' grants at once, unrecorded, when Redis fails; such a lease is never renewed nor stopped", async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const redis = fakeRedis();
    redis.mode = 'down';
    const limiter = new RedisLimiter({ redis, key: 'k', limit: 1, lease: 300, onUnavailable: 'allow' });
    const release = await limiter.acquire();
    expect(limiter.activeCount).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(release.signal.aborted).toBe(false);
    expect(redis.calls).toEqual(['acquire']);
    release();
    expect(limiter.activeCount).toBe(0);
  });
});
