/**
 * One process of the RedisLimiter fleet tests: `loops` holders share a
 * RedisLimiter with the other processes; each holder, once granted, counts
 * itself in (INCR) and out (DECR) in a key on a counting server, and streams
 * every step to the parent (processes.ts), so the parent can check the count
 * and act mid-run. A holder whose ctx.signal is aborted with LeaseLostError
 * counts itself out at once (it must stop: someone else may get its slot
 * after the lease). The counting server can be the limiter's own or another
 * one (a test that restarts the limiter's Redis counts on a second server).
 * Started by the tests through processes.ts; Node only.
 */
import { createInterface } from 'node:readline';
import type { ClientKind } from './clients.js';

export interface LimiterChildConfig {
  /** The limiter's Redis. */
  port: number;
  /** Where the in/out count lives. */
  countPort: number;
  countKey: string;
  client: ClientKind;
  key: string;
  limit: number;
  lease: number;
  commandTimeout?: number;
  /** Holders in this process, each taking slots one after another. */
  loops: number;
  /** How long a holder holds its slot, uniform in [min, max] ms. */
  hold: [number, number];
  /** How long the holders take new slots after 'go', ms. */
  duration: number;
}

export type LimiterChildEvent =
  | { e: 'ready' }
  /** A holder counted itself in at `t` (Date.now()); `n`: the INCR's reply. */
  | { e: 'in'; t: number; n: number; loop: number }
  /** A holder counted itself out after its work. */
  | { e: 'out'; t: number; loop: number }
  /** A holder's ctx.signal was aborted with LeaseLostError at `t`; it counted itself out. */
  | { e: 'lost'; t: number; loop: number }
  /** An acquire (or the holder) failed otherwise: `name` of the error. */
  | { e: 'error'; t: number; name: string; message: string }
  | { e: 'done'; t: number; holds: number };

const config = JSON.parse(process.argv[2] ?? '{}') as LimiterChildConfig;
const emit = (event: LimiterChildEvent): void => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};

const { connect } = await import('./clients.js');
const { RedisLimiter } = await import('../src/index.js');

const client = await connect(config.client, config.port);
const counter = config.countPort === config.port && config.client === 'ioredis' ? client : await connect('ioredis', config.countPort);
const limiter = new RedisLimiter({
  redis: client.scripts,
  key: config.key,
  limit: config.limit,
  lease: config.lease,
  ...(config.commandTimeout === undefined ? {} : { commandTimeout: config.commandTimeout }),
});

const lines = createInterface({ input: process.stdin });
emit({ e: 'ready' });
await new Promise<void>((resolve) => {
  lines.once('line', () => {
    resolve();
  });
});

const stopAt = performance.now() + config.duration;
const between = ([lo, hi]: [number, number]): number => lo + Math.random() * (hi - lo);
let holds = 0;

async function hold(loop: number, signal: AbortSignal): Promise<void> {
  const n = Number(await counter.command('INCR', config.countKey));
  emit({ e: 'in', t: Date.now(), n, loop });
  holds++;
  let out: Promise<unknown> | undefined;
  const countOut = (): Promise<unknown> => (out ??= counter.command('DECR', config.countKey));
  const onAbort = (): void => {
    if ((signal.reason as Error | undefined)?.name !== 'LeaseLostError') return;
    void countOut().then(() => {
      emit({ e: 'lost', t: Date.now(), loop });
    });
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  try {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, between(config.hold));
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (out === undefined) {
      await countOut();
      emit({ e: 'out', t: Date.now(), loop });
    } else await out;
  }
}

await Promise.all(
  Array.from({ length: config.loops }, async (_, loop) => {
    while (performance.now() < stopAt) {
      try {
        await limiter.schedule(({ signal }) => hold(loop, signal));
      } catch (error) {
        const e = error as Error;
        emit({ e: 'error', t: Date.now(), name: e.name, message: e.message });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }),
);
emit({ e: 'done', t: Date.now(), holds });
lines.close();
await client.close();
if (counter !== client) await counter.close();
