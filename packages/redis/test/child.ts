/**
 * One process of a multi-process test: shares a RedisRateLimiter with its
 * siblings, acquires as fast as the limit lets it from several loops, and
 * reports every grant. Its clock can be shifted (`clockOffset` ms) to show
 * that client clocks change nothing. Started by fleet.ts; Node only.
 */
import { createInterface } from 'node:readline';
import type { ClientKind } from './clients.js';

export interface ChildConfig {
  port: number;
  key: string;
  client: ClientKind;
  limits: Record<string, { limit: number; interval: number }>;
  /** Costs are uniform in 1..costMax for every limit. */
  costMax: number;
  clockOffset: number;
  duration: number;
  loops: number;
  commandTimeout: number;
}

export interface ChildGrant {
  /** grant.at: the server's clock. */
  at: number;
  /** Date.now() when the grant resolved: this process's (possibly shifted) clock. */
  local: number;
  cost: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;

// Shift this process's clocks before anything reads them.
if (config.clockOffset !== 0) {
  const perfNow = performance.now.bind(performance);
  const dateNow = Date.now.bind(Date);
  performance.now = () => perfNow() + config.clockOffset;
  Date.now = () => dateNow() + config.clockOffset;
}

const { connect } = await import('./clients.js');
const { RedisRateLimiter } = await import('../src/index.js');

const client = await connect(config.client, config.port);
const limiter = new RedisRateLimiter({
  redis: client.scripts,
  key: config.key,
  limits: config.limits,
  commandTimeout: config.commandTimeout,
});
const names = Object.keys(config.limits);

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await new Promise<void>((resolve) => {
  lines.once('line', () => {
    resolve();
  });
});

const grants: ChildGrant[] = [];
let failures = 0;
const stopAt = performance.now() + config.duration;
await Promise.all(
  Array.from({ length: config.loops }, async () => {
    while (performance.now() < stopAt) {
      const cost = 1 + Math.floor(Math.random() * config.costMax);
      try {
        const grant = await limiter.acquire({ cost: Object.fromEntries(names.map((n) => [n, cost])) });
        grants.push({ at: grant.at, local: Date.now(), cost });
      } catch {
        failures++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }),
);
process.stdout.write(`${JSON.stringify({ grants, failures })}\n`);
lines.close();
await client.close();
