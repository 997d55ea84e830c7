/**
 * One process of the alcall fleet test: runs
 * `alcall(items, fn, { limiter: redisLimiter, rateLimiter, cost })` with a
 * RedisLimiter and a RedisRateLimiter shared with the other processes. `fn`
 * counts itself in (INCR) and out (DECR) in a Redis key; the rate limiter
 * alcall sees is the RedisRateLimiter behind a recorder that keeps each
 * grant's `at` (the server's clock) and cost. Reports once, at the end.
 * Started by the tests through processes.ts; Node only.
 */
import { createInterface } from 'node:readline';
import type { Cost } from '@lf/throttle';
import type { ClientKind } from './clients.js';

export interface AlcallChildConfig {
  port: number;
  client: ClientKind;
  key: string;
  countKey: string;
  /** The RedisLimiter's limit and lease. */
  limit: number;
  lease: number;
  /** The RedisRateLimiter's limits; an item costs 1 `requests` and `tokens` of its own. */
  limits: { requests: { limit: number; interval: number }; tokens: { limit: number; interval: number } };
  items: number;
  /** An item's tokens, uniform in [1, tokensMax]. */
  tokensMax: number;
  /** How long fn holds its slot, ms. */
  hold: number;
}

export interface AlcallGrant {
  at: number;
  requests: number;
  tokens: number;
}

export type AlcallChildEvent = { e: 'ready' } | { e: 'done'; grants: AlcallGrant[]; counts: number[]; results: number; error?: string };

const config = JSON.parse(process.argv[2] ?? '{}') as AlcallChildConfig;
const emit = (event: AlcallChildEvent): void => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};

const { connect } = await import('./clients.js');
const { RedisLimiter, RedisRateLimiter } = await import('../src/index.js');
const { alcall } = await import('@lf/alcall');

const client = await connect(config.client, config.port);
const counter = await connect('ioredis', config.port);
const limiter = new RedisLimiter({ redis: client.scripts, key: `${config.key}:slots`, limit: config.limit, lease: config.lease });
const rate = new RedisRateLimiter({ redis: client.scripts, key: `${config.key}:rate`, limits: config.limits });
const grants: AlcallGrant[] = [];
const rateLimiter = {
  async acquire(options: { signal?: AbortSignal; cost?: Cost }) {
    const grant = await rate.acquire(options);
    const cost = options.cost as { tokens: number };
    grants.push({ at: grant.at, requests: 1, tokens: cost.tokens });
    return grant;
  },
};

const lines = createInterface({ input: process.stdin });
emit({ e: 'ready' });
await new Promise<void>((resolve) => {
  lines.once('line', () => {
    resolve();
  });
});

const counts: number[] = [];
const items = Array.from({ length: config.items }, () => 1 + Math.floor(Math.random() * config.tokensMax));
let results = 0;
let error: string | undefined;
try {
  const out = await alcall(
    items,
    async (tokens) => {
      counts.push(Number(await counter.command('INCR', config.countKey)));
      await new Promise((resolve) => setTimeout(resolve, config.hold));
      await counter.command('DECR', config.countKey);
      return tokens;
    },
    { limiter, rateLimiter, cost: (tokens) => ({ tokens }) },
  );
  results = out.length;
} catch (e) {
  error = `${(e as Error).name}: ${(e as Error).message}`;
}
emit({ e: 'done', grants, counts, results, ...(error === undefined ? {} : { error }) });
lines.close();
await client.close();
await counter.close();
