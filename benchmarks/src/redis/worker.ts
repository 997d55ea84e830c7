/**
 * One process of the Redis bench: takes slots from a limit shared through
 * Redis (lf's RedisRateLimiter, rate-limiter-flexible's RateLimiterRedis +
 * RateLimiterQueue, or bottleneck's clustering) from several loops, and
 * reports every start. Its clock can be shifted (`clockOffset` ms): `local`
 * is then what this process believes, `real` the machine's clock, read
 * through an unshifted monotonic clock (`performance.timeOrigin` plus the
 * original `performance.now()`, sub-millisecond and common to every process
 * of the machine, as the Redis server's clock is on loopback). Bundled and
 * started by run.ts.
 */
import { createInterface } from 'node:readline';

export type Lib = 'lf' | 'rate-limiter-flexible' | 'bottleneck';

export interface WorkerConfig {
  lib: Lib;
  port: number;
  key: string;
  limit: number;
  interval: number;
  costMax: number;
  clockOffset: number;
  duration: number;
  loops: number;
}

export interface Start {
  /** lf: grant.at (the server's clock); the peers: `real`. */
  server: number;
  /** This process's clock when the call started. */
  local: number;
  /** The machine's clock when the call started (never shifted). */
  real: number;
  cost: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
// Captured before any shift: the real clock of the machine, the same in every process.
const perfNow = performance.now.bind(performance);
const origin = performance.timeOrigin;
const realNow = (): number => origin + perfNow();
if (config.clockOffset !== 0) {
  const dateNow = Date.now.bind(Date);
  performance.now = () => perfNow() + config.clockOffset;
  Date.now = () => dateNow() + config.clockOffset;
}

const { Redis } = await import('ioredis');
const client = new Redis({ host: '127.0.0.1', port: config.port, maxRetriesPerRequest: null });
client.on('error', () => undefined);

/** Takes `cost` from the shared limit; resolves the server-clock time of the grant. */
let take: (cost: number) => Promise<number>;
let close: () => Promise<void> = () => Promise.resolve();

if (config.lib === 'lf') {
  const { RedisRateLimiter, fromIoredis } = await import('../../../packages/redis/src/index.js');
  const limiter = new RedisRateLimiter({ redis: fromIoredis(client), key: config.key, limit: config.limit, interval: config.interval });
  take = async (cost) => (await limiter.acquire({ cost })).at;
} else if (config.lib === 'rate-limiter-flexible') {
  const { RateLimiterRedis, RateLimiterQueue } = await import('rate-limiter-flexible');
  const limiter = new RateLimiterRedis({
    storeClient: client,
    keyPrefix: config.key,
    points: config.limit,
    duration: config.interval / 1000,
  });
  const queue = new RateLimiterQueue(limiter, { maxQueueSize: 10_000 });
  take = async (cost) => {
    await queue.removeTokens(cost);
    return realNow();
  };
} else {
  const { default: Bottleneck } = await import('bottleneck');
  const IORedis = (await import('ioredis')).default;
  const limiter = new Bottleneck({
    id: config.key,
    datastore: 'ioredis',
    Redis: IORedis,
    clientOptions: { host: '127.0.0.1', port: config.port },
    clearDatastore: false,
    reservoir: config.limit,
    reservoirRefreshAmount: config.limit,
    reservoirRefreshInterval: config.interval,
  });
  limiter.on('error', () => undefined);
  await limiter.ready();
  take = (cost) => limiter.schedule({ weight: cost }, () => Promise.resolve(realNow()));
  close = () => limiter.disconnect(false);
}

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await new Promise<void>((resolve) => {
  lines.once('line', () => {
    resolve();
  });
});

const starts: Start[] = [];
const stopAt = realNow() + config.duration;
await Promise.all(
  Array.from({ length: config.loops }, async () => {
    while (realNow() < stopAt) {
      const cost = 1 + Math.floor(Math.random() * config.costMax);
      const server = await take(cost);
      starts.push({ server, local: Date.now(), real: realNow(), cost });
    }
  }),
);
process.stdout.write(`${JSON.stringify(starts)}\n`);
lines.close();
await close();
client.disconnect();
process.exit(0);
