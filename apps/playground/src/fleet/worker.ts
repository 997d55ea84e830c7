/**
 * One worker process of `pnpm playground:fleet`: an LLM-style client that
 * runs `alcall` over a stream of requests with the fleet's shared limits, a
 * `RedisRateLimiter` (requests and tokens per second) and a `RedisLimiter`
 * (requests in flight). It reports every grant and every lease (counted in
 * and out in a Redis key) to the parent on stdout. Started by main.ts.
 */
import { createInterface } from 'node:readline';
import { alcall, sleep } from '@lf/async-utils';
import type { Cost } from '@lf/async-utils';
import { RedisLimiter, RedisRateLimiter, fromIoredis } from '@lf/redis';
import { Redis } from 'ioredis';
import { countKeys } from './protocol.js';
import type { WorkerConfig, WorkerEvent } from './protocol.js';

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
const send = (event: WorkerEvent): void => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};
const between = ([lo, hi]: readonly [number, number]): number => lo + Math.floor(Math.random() * (hi - lo + 1));

const client = new Redis({ host: '127.0.0.1', port: config.port, maxRetriesPerRequest: 1 });
client.on('error', () => undefined); // the parent stops the server at the end: not an uncaught error
const redis = fromIoredis(client);
const rate = new RedisRateLimiter({
  redis,
  key: `${config.key}:rate`,
  limits: {
    requests: { limit: config.requestsPerSecond, interval: 1000 },
    tokens: { limit: config.tokensPerSecond, interval: 1000 },
  },
});
const slots = new RedisLimiter({ redis, key: `${config.key}:slots`, limit: config.concurrency, lease: config.lease });
const keys = countKeys(config.key);
const field = String(config.id);

/** The RedisRateLimiter as alcall sees it, reporting each grant (its server time and tokens). */
const reportingRate = {
  async acquire(options: { signal?: AbortSignal; cost?: Cost }) {
    const grant = await rate.acquire(options);
    const cost = options.cost;
    send({ type: 'grant', at: grant.at, tokens: typeof cost === 'number' ? cost : (cost?.tokens ?? 1) });
    return grant;
  },
};

/**
 * The RedisLimiter as alcall sees it: each holder counts itself in (INCR, the
 * reply is how many hold a lease) once its lease is granted, and out before it
 * gives the lease back, so the count can only over-state the leases held.
 */
const countingSlots = {
  async acquire(options: { signal?: AbortSignal }) {
    const release = await slots.acquire(options);
    // The lease could not be kept (renewals failed): the parent counts it as a problem.
    release.signal.addEventListener(
      'abort',
      () => {
        if ((release.signal.reason as Error | undefined)?.name === 'LeaseLostError') send({ type: 'lost' });
      },
      { once: true },
    );
    const reply = await client.multi().incr(keys.total).hincrby(keys.byWorker, field, 1).exec();
    send({ type: 'in', t: Date.now(), count: Number(reply?.[0]?.[1] ?? 0) });
    return () => {
      void client
        .multi()
        .decr(keys.total)
        .hincrby(keys.byWorker, field, -1)
        .exec()
        .catch(() => undefined)
        .finally(() => {
          send({ type: 'out' });
          release();
        });
    };
  },
};

function* requests(until: number): Generator<{ tokens: number; hold: number }> {
  while (Date.now() < until) yield { tokens: between(config.tokens), hold: between(config.hold) };
}

await new Promise<void>((resolve) =>
  client.once('ready', () => {
    resolve();
  }),
);
const lines = createInterface({ input: process.stdin });
send({ type: 'ready' });
await new Promise<void>((resolve) =>
  lines.once('line', () => {
    resolve();
  }),
);
// The parent is gone (its end of stdin closed): stop at once rather than run on unobserved.
lines.once('close', () => {
  if (!finished) process.exit(1);
});
let finished = false;

const results = await alcall(
  requests(Date.now() + config.duration),
  async (request, { signal }) => {
    // The provider call: holds its lease for `hold` ms.
    await sleep(request.hold, { signal });
    return request.tokens;
  },
  {
    maxConcurrent: config.perWorker,
    limiter: countingSlots,
    rateLimiter: reportingRate,
    cost: (request) => ({ tokens: request.tokens }),
    settle: true,
  },
);
const failed = (results as unknown as { status: string }[]).filter((r) => r.status === 'rejected').length;
send({ type: 'done', requests: results.length, failed });
finished = true;
lines.close();
await client.quit();
