/**
 * What lf needs from a Redis client: run a Lua script by its SHA-1 digest, or
 * by its source. Both resolve the script's reply as the client decodes it
 * (lf normalises RESP2 and RESP3 replies itself) and reject with the
 * client's error (a missing script is an error whose message starts with
 * `NOSCRIPT`, as Redis sends it). Make one with {@link fromIoredis} or
 * {@link fromNodeRedis}, or write your own for another client.
 *
 * @example
 * ```ts
 * const scripts: RedisScripts = {
 *   evalsha: (sha1, keys, args) => client.send('EVALSHA', sha1, keys.length, ...keys, ...args),
 *   eval: (script, keys, args) => client.send('EVAL', script, keys.length, ...keys, ...args),
 * };
 * ```
 */
export interface RedisScripts {
  /** `EVALSHA sha1 numkeys ...keys ...args`. */
  evalsha(sha1: string, keys: string[], args: string[]): Promise<unknown>;
  /** `EVAL script numkeys ...keys ...args`. */
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
}

/**
 * The part of an ioredis `Redis` or `Cluster` that lf uses (structural, so
 * lf does not import ioredis).
 *
 * @example
 * ```ts
 * const client: IoredisLike = new Redis(); // from 'ioredis'
 * ```
 */
export interface IoredisLike {
  evalsha(sha1: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
}

/**
 * The part of a node-redis (`redis` >= 4) client or cluster that lf uses
 * (structural, so lf does not import node-redis).
 *
 * @example
 * ```ts
 * const client: NodeRedisLike = await createClient().connect(); // from 'redis'
 * ```
 */
export interface NodeRedisLike {
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

function checkClient(fnName: string, client: unknown, methods: readonly string[]): void {
  for (const method of methods) {
    if (typeof (client as Record<string, unknown> | null | undefined)?.[method] !== 'function') {
      throw new TypeError(`${fnName}: client must have a ${method} method (got ${client === null ? 'null' : typeof client})`);
    }
  }
}

/**
 * Runs lf's scripts on an ioredis client (`Redis` or `Cluster`, ioredis >= 5).
 *
 * @throws TypeError when `client` has no `evalsha`/`eval` methods.
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * const limiter = new RedisRateLimiter({ redis: fromIoredis(new Redis()), key: 'api', limit: 10, interval: 1000 });
 * ```
 */
export function fromIoredis(client: IoredisLike): RedisScripts {
  checkClient('fromIoredis', client, ['evalsha', 'eval']);
  return {
    evalsha: (sha1, keys, args) => client.evalsha(sha1, keys.length, ...keys, ...args),
    eval: (script, keys, args) => client.eval(script, keys.length, ...keys, ...args),
  };
}

/**
 * Runs lf's scripts on a node-redis client or cluster (`redis` >= 4), RESP2 or RESP3.
 *
 * @throws TypeError when `client` has no `evalSha`/`eval` methods.
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * const client = await createClient().connect();
 * const limiter = new RedisRateLimiter({ redis: fromNodeRedis(client), key: 'api', limit: 10, interval: 1000 });
 * ```
 */
export function fromNodeRedis(client: NodeRedisLike): RedisScripts {
  checkClient('fromNodeRedis', client, ['evalSha', 'eval']);
  return {
    evalsha: (sha1, keys, args) => client.evalSha(sha1, { keys, arguments: args }),
    eval: (script, keys, args) => client.eval(script, { keys, arguments: args }),
  };
}
