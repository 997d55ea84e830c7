import type { Limiter } from '@lf/limit';
import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';
import { describe, expectTypeOf, it } from 'vitest';
import { fromIoredis, fromNodeRedis, RedisLimiter, type LeaseContext, type LeaseRelease, type RedisScripts } from './index.js';

declare const scripts: RedisScripts;

describe('types', () => {
  it('the adapters take ioredis and node-redis clients and clusters (their duplicate() is where they subscribe)', () => {
    expectTypeOf(fromIoredis(new Redis({ lazyConnect: true }))).toEqualTypeOf<RedisScripts>();
    expectTypeOf(fromIoredis(new Cluster([], { lazyConnect: true }))).toEqualTypeOf<RedisScripts>();
    expectTypeOf(fromNodeRedis(createClient())).toEqualTypeOf<RedisScripts>();
    expectTypeOf(fromNodeRedis(createCluster({ rootNodes: [] }))).toEqualTypeOf<RedisScripts>();
  });

  it('RedisLimiter: acquire resolves a release function with a signal; run and schedule keep fn’s types', () => {
    const limiter = new RedisLimiter({ redis: scripts, key: 'k', limit: 2 });
    expectTypeOf(limiter.acquire()).toEqualTypeOf<Promise<LeaseRelease>>();
    expectTypeOf<LeaseRelease>().toExtend<() => void>();
    expectTypeOf<LeaseRelease['signal']>().toEqualTypeOf<AbortSignal>();
    expectTypeOf(limiter.run(async (a: string, b: number) => a.length + b, 'x', 1)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(limiter.schedule((ctx) => ctx)).toEqualTypeOf<Promise<LeaseContext>>();
    expectTypeOf<LeaseContext['signal']>().toEqualTypeOf<AbortSignal>();
    // @ts-expect-error wrong argument type
    void limiter.run((a: string) => a, 1);
    // @ts-expect-error an unknown option next to valid ones
    new RedisLimiter({ redis: scripts, key: 'k', limit: 2, leese: 5 });
  });

  it('RedisLimiter fits where a shared limiter is expected (alcall’s limiter option, a Limiter’s acquire)', () => {
    expectTypeOf<RedisLimiter>().toExtend<{ acquire(o: { signal?: AbortSignal }): Promise<() => void> }>();
    expectTypeOf<RedisLimiter['acquire']>().toExtend<(o: { signal?: AbortSignal }) => Promise<Awaited<ReturnType<Limiter['acquire']>>>>();
  });
});
