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
 * @category Limits
 */
export interface RedisScripts {
  /** `EVALSHA sha1 numkeys ...keys ...args`. */
  evalsha(sha1: string, keys: string[], args: string[]): Promise<unknown>;
  /** `EVAL script numkeys ...keys ...args`. */
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
  /**
   * Optional: calls `listener` on every message published on `channel`
   * (pub/sub, on a connection of its own, since a subscribed connection runs
   * nothing else). `ready` resolves once the subscription is in place (it
   * may never settle while Redis is away); `end()`, callable at any time,
   * ends it, and the connection is closed as soon as no subscription is
   * left, so that it never keeps the process alive. `RedisLimiter` uses it
   * as a hint that a slot was freed; without it, its waiters wake at the
   * earliest lease expiry (or at a release in their own process) instead.
   */
  subscribe?(channel: string, listener: () => void): RedisSubscription;
}

/**
 * A subscription made by {@link RedisScripts.subscribe}.
 *
 * @example
 * ```ts
 * const subscription: RedisSubscription = scripts.subscribe!('news', () => console.log('published'));
 * await subscription.ready;
 * subscription.end();
 * ```
 * @category Limits
 */
export interface RedisSubscription {
  /** Resolves once Redis has confirmed the subscription; rejects when it failed. */
  readonly ready: Promise<unknown>;
  /** Ends the subscription (again: nothing happens). */
  end(): void;
}

/**
 * The part of an ioredis `Redis` or `Cluster` that lf uses (structural, so
 * lf does not import ioredis).
 *
 * @example
 * ```ts
 * const client: IoredisLike = new Redis(); // from 'ioredis'
 * ```
 * @category Limits
 */
export interface IoredisLike {
  evalsha(sha1: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  /** A new connection with the same options: where the adapter subscribes. */
  duplicate?(): IoredisSubscriber;
}

/**
 * The part of an ioredis connection made by `duplicate()` that lf's
 * subscriptions use.
 *
 * @example
 * ```ts
 * const subscriber: IoredisSubscriber = new Redis().duplicate();
 * ```
 * @category Limits
 */
export interface IoredisSubscriber {
  on(event: 'message', listener: (channel: string) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  subscribe(channel: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  disconnect(): void;
}

/**
 * The part of a node-redis (`redis` >= 4) client or cluster that lf uses
 * (structural, so lf does not import node-redis).
 *
 * @example
 * ```ts
 * const client: NodeRedisLike = await createClient().connect(); // from 'redis'
 * ```
 * @category Limits
 */
export interface NodeRedisLike {
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** A new, unconnected client with the same options: where the adapter subscribes. */
  duplicate?(): NodeRedisSubscriber;
}

/**
 * The part of a node-redis client made by `duplicate()` that lf's
 * subscriptions use.
 *
 * @example
 * ```ts
 * const subscriber: NodeRedisSubscriber = client.duplicate();
 * ```
 * @category Limits
 */
export interface NodeRedisSubscriber {
  on(event: 'error', listener: (error: unknown) => void): unknown;
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: () => void): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  disconnect(): Promise<unknown>;
}

/** One connection in subscriber mode, as {@link subscriptions} drives it (its commands wait for it to connect). */
interface Subscriber {
  subscribe(channel: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  /** Closes it at once, connected or not (no reconnect left behind). */
  close(): void;
}

/** The listeners of one channel, and the SUBSCRIBE that put it in place. */
interface Channel {
  readonly listeners: Set<{ readonly call: () => void }>;
  readonly ready: Promise<unknown>;
}

/**
 * `RedisScripts.subscribe` over one lazily opened connection (`open`):
 * channels are subscribed once however many listeners they have, and the
 * connection is closed as soon as the last listener goes (a later
 * subscription opens a new one). The connection's own errors are the
 * client's business (it reconnects and resubscribes; messages published
 * meanwhile are lost, which only delays a `RedisLimiter` waiter).
 */
function subscriptions(open: (onMessage: (channel: string) => void) => Subscriber): NonNullable<RedisScripts['subscribe']> {
  const channels = new Map<string, Channel>();
  let connection: Subscriber | undefined;
  const onMessage = (channel: string): void => {
    const entry = channels.get(channel);
    if (entry !== undefined) for (const listener of [...entry.listeners]) listener.call();
  };
  return (channel, call) => {
    const sub = (connection ??= open(onMessage));
    let entry = channels.get(channel);
    if (entry === undefined) {
      entry = { listeners: new Set(), ready: sub.subscribe(channel) };
      entry.ready.then(noop, noop);
      channels.set(channel, entry);
    }
    const listener = { call };
    const { listeners, ready } = entry;
    listeners.add(listener);
    const end = (): void => {
      if (!listeners.delete(listener) || listeners.size > 0) return;
      if (channels.get(channel)?.listeners === listeners) channels.delete(channel);
      if (connection !== sub) return; // that connection is closed already
      if (channels.size > 0) {
        sub.unsubscribe(channel).then(noop, noop);
        return;
      }
      connection = undefined;
      sub.close();
    };
    return { ready, end };
  };
}

function noop(): void {
  /* a failure of an unsubscribe or a close is of no interest: the connection goes anyway */
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
 * Its `subscribe` (for `RedisLimiter`'s wake-ups) opens one more connection,
 * `client.duplicate()`, when a subscription starts, and closes it as soon as
 * none is left: it never keeps the process alive once no limiter waits or holds.
 *
 * @throws TypeError when `client` has no `evalsha`/`eval` methods.
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * const limiter = new RedisRateLimiter({ redis: fromIoredis(new Redis()), key: 'api', limit: 10, interval: 1000 });
 * ```
 * @category Limits
 */
export function fromIoredis(client: IoredisLike): RedisScripts {
  checkClient('fromIoredis', client, ['evalsha', 'eval']);
  const scripts: RedisScripts = {
    evalsha: (sha1, keys, args) => client.evalsha(sha1, keys.length, ...keys, ...args),
    eval: (script, keys, args) => client.eval(script, keys.length, ...keys, ...args),
  };
  if (typeof client.duplicate !== 'function') return scripts;
  const duplicate = client.duplicate.bind(client);
  scripts.subscribe = subscriptions((onMessage) => {
    const sub = duplicate();
    sub.on('error', noop);
    sub.on('message', onMessage);
    return {
      subscribe: (channel) => sub.subscribe(channel),
      unsubscribe: (channel) => sub.unsubscribe(channel),
      close: () => {
        sub.disconnect();
      },
    };
  });
  return scripts;
}

/**
 * Runs lf's scripts on a node-redis client or cluster (`redis` >= 4), RESP2 or RESP3.
 * Its `subscribe` (for `RedisLimiter`'s wake-ups) connects one more client,
 * `client.duplicate()`, when a subscription starts, and closes it as soon as
 * none is left: it never keeps the process alive once no limiter waits or holds.
 *
 * @throws TypeError when `client` has no `evalSha`/`eval` methods.
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * const client = await createClient().connect();
 * const limiter = new RedisRateLimiter({ redis: fromNodeRedis(client), key: 'api', limit: 10, interval: 1000 });
 * ```
 * @category Limits
 */
export function fromNodeRedis(client: NodeRedisLike): RedisScripts {
  checkClient('fromNodeRedis', client, ['evalSha', 'eval']);
  const scripts: RedisScripts = {
    evalsha: (sha1, keys, args) => client.evalSha(sha1, { keys, arguments: args }),
    eval: (script, keys, args) => client.eval(script, { keys, arguments: args }),
  };
  if (typeof client.duplicate !== 'function') return scripts;
  const duplicate = client.duplicate.bind(client);
  scripts.subscribe = subscriptions((onMessage) => {
    const sub = duplicate();
    sub.on('error', noop);
    const connected = sub.connect();
    connected.then(noop, noop);
    return {
      subscribe: (channel) =>
        connected.then(() =>
          sub.subscribe(channel, () => {
            onMessage(channel);
          }),
        ),
      unsubscribe: (channel) => connected.then(() => sub.unsubscribe(channel)),
      close: () => {
        Promise.resolve()
          .then(() => sub.disconnect())
          .then(noop, noop);
      },
    };
  });
  return scripts;
}
