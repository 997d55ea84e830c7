/**
 * The RedisLimiter part of `pnpm bench:redis`: lf's RedisLimiter against
 * bottleneck's clustered `maxConcurrent` (`datastore: 'ioredis'`), on the
 * redis-server run.ts started.
 *
 * - No contention: one process, sequential acquire/release round trips
 *   (lf: `acquire()` then `release()`, and `run(fn)`; bottleneck:
 *   `schedule(fn)`, which registers, runs and frees the job), p50/p99, next
 *   to a PING.
 * - The fleet: 4 processes x 4 loops share `limit` 5, each job holding its
 *   slot 10..40 ms; every holder counts itself in (INCR) and out (DECR) in a
 *   Redis key: the most in at once, and the jobs per second.
 * - A SIGKILLed holder: one process takes every slot and is killed; how long
 *   until another process holds them all again (lf: by lease expiry;
 *   bottleneck: only by a job `expiration`, its README's "strongly
 *   recommended" option: without one the slots never come back).
 *
 * run.ts calls {@link limiterBench} and appends its section to
 * REDIS-RESULTS.md. This file is also the worker: run with `--worker <json>`.
 */
import { spawn } from 'node:child_process';
import { resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import { RedisLimiter, fromIoredis } from '../../../packages/redis/src/index.js';
import { latency } from './latency.js';

type LimiterLib = 'lf' | 'bottleneck';
const LIBS: readonly LimiterLib[] = ['lf', 'bottleneck'];

interface LimiterWorkerConfig {
  lib: LimiterLib;
  port: number;
  key: string;
  limit: number;
  lease: number;
  /** bottleneck's job `expiration` (ms), or null for none (its default). */
  expiration: number | null;
  loops: number;
  hold: [number, number];
  duration: number;
}

interface WorkerReport {
  max: number;
  jobs: number;
  /** Date.now() of each job's start (the in-count). */
  starts: number[];
}

const LIMIT = 5;
const LEASE = 1000;

// ---- the worker

async function worker(config: LimiterWorkerConfig): Promise<void> {
  const client = new Redis({ host: '127.0.0.1', port: config.port, maxRetriesPerRequest: null });
  client.on('error', () => undefined);
  const counter = new Redis({ host: '127.0.0.1', port: config.port });
  counter.on('error', () => undefined);
  const countKey = `${config.key}:count`;
  let run: (job: () => Promise<void>) => Promise<void>;
  let close = (): Promise<void> => Promise.resolve();
  if (config.lib === 'lf') {
    const limiter = new RedisLimiter({ redis: fromIoredis(client), key: config.key, limit: config.limit, lease: config.lease });
    run = (job) => limiter.run(job);
  } else {
    const bottleneck = new Bottleneck({
      id: config.key,
      maxConcurrent: config.limit,
      datastore: 'ioredis',
      Redis,
      clientOptions: { host: '127.0.0.1', port: config.port },
    });
    bottleneck.on('error', () => undefined);
    await bottleneck.ready();
    const options = config.expiration === null ? {} : { expiration: config.expiration };
    run = (job) => bottleneck.schedule(options, job);
    close = () => bottleneck.disconnect(false);
  }
  const lines = createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) =>
    lines.once('line', () => {
      resolve();
    }),
  );
  const report: WorkerReport = { max: 0, jobs: 0, starts: [] };
  const stopAt = performance.now() + config.duration;
  const [lo, hi] = config.hold;
  await Promise.all(
    Array.from({ length: config.loops }, async () => {
      while (performance.now() < stopAt) {
        await run(async () => {
          const n = await counter.incr(countKey);
          report.starts.push(Date.now());
          process.stdout.write(`in ${Date.now()}\n`);
          report.max = Math.max(report.max, n);
          report.jobs++;
          await new Promise((resolve) => setTimeout(resolve, lo + Math.random() * (hi - lo)));
          await counter.decr(countKey);
        }).catch(() => undefined);
      }
    }),
  );
  process.stdout.write(`${JSON.stringify(report)}\n`);
  lines.close();
  await close();
  client.disconnect();
  counter.disconnect();
}

// ---- the parent

interface Running {
  kill(): void;
  go(): void;
  ready: Promise<void>;
  /** Resolves with the report, or undefined when the worker was killed. */
  done: Promise<WorkerReport | undefined>;
  /** Each `in` line's time, as it comes. */
  ins: number[];
}

const self = fileURLToPath(import.meta.url);

function startWorker(config: LimiterWorkerConfig): Running {
  // process.execArgv carries tsx's loader (`node --import tsx`): the worker runs this file's source.
  const child = spawn(process.execPath, [...process.execArgv, self, '--worker', JSON.stringify(config)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const ins: number[] = [];
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  let last = '';
  createInterface({ input: child.stdout }).on('line', (text) => {
    if (text === 'ready') onReady();
    else if (text.startsWith('in ')) ins.push(Number(text.slice(3)));
    else last = text;
  });
  const done = new Promise<WorkerReport | undefined>((resolve) => {
    child.once('close', () => {
      resolve(last.startsWith('{') ? (JSON.parse(last) as WorkerReport) : undefined);
    });
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), config.duration + 30_000);
  void done.then(() => {
    clearTimeout(killer);
  });
  return { kill: () => child.kill('SIGKILL'), go: () => child.stdin.write('go\n'), ready, done, ins };
}

/**
 * Wipes bottleneck's state for `id` and stores its settings: the first limiter
 * to connect stores them and every later one uses those (its README), so this
 * one must carry the same `maxConcurrent`.
 */
async function clearBottleneck(port: number, id: string, maxConcurrent: number): Promise<void> {
  const b = new Bottleneck({
    id,
    maxConcurrent,
    datastore: 'ioredis',
    Redis,
    clientOptions: { host: '127.0.0.1', port },
    clearDatastore: true,
  });
  await b.ready();
  await b.disconnect(false);
}

async function fleet(lib: LimiterLib, port: number): Promise<{ max: number; jobsPerSecond: number }> {
  const key = `bench-conc-${lib}`;
  if (lib === 'bottleneck') await clearBottleneck(port, key, LIMIT);
  const duration = 4000;
  const workers = Array.from({ length: 4 }, () =>
    startWorker({ lib, port, key, limit: LIMIT, lease: LEASE, expiration: null, loops: 4, hold: [10, 40], duration }),
  );
  try {
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.go();
    const reports = (await Promise.all(workers.map((w) => w.done))).filter((r) => r !== undefined);
    const starts = reports.flatMap((r) => r.starts).sort((a, b) => a - b);
    const span = ((starts[starts.length - 1] ?? 0) - (starts[0] ?? 0)) / 1000;
    return { max: Math.max(0, ...reports.map((r) => r.max)), jobsPerSecond: starts.length / span };
  } finally {
    for (const w of workers) w.kill();
  }
}

/** ms from the SIGKILL of a process holding every slot until another holds them all again, or undefined if not within `wait`. */
async function killed(lib: LimiterLib, port: number, expiration: number | null, wait: number): Promise<number | undefined> {
  const key = `bench-kill-${lib}-${expiration ?? 'none'}`;
  if (lib === 'bottleneck') await clearBottleneck(port, key, LIMIT);
  const common = { lib, port, key, limit: LIMIT, lease: LEASE, expiration, loops: LIMIT };
  const a = startWorker({ ...common, hold: [60_000, 60_000], duration: 100 });
  const b = startWorker({ ...common, hold: [wait + 5000, wait + 5000], duration: 100 });
  try {
    await Promise.all([a.ready, b.ready]);
    a.go();
    for (let i = 0; i < 200 && a.ins.length < LIMIT; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    b.go();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const killedAt = Date.now();
    a.kill();
    for (let i = 0; b.ins.length < LIMIT && Date.now() < killedAt + wait; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    return b.ins.length >= LIMIT ? Math.max(...b.ins) - killedAt : undefined;
  } finally {
    a.kill();
    b.kill();
  }
}

const fmt = (x: number, digits = 3): string => x.toFixed(digits);

/**
 * Runs the RedisLimiter benchmarks on the redis-server at `port` and returns
 * the markdown section (a `##` heading, tables, notes) for REDIS-RESULTS.md.
 */
export async function limiterBench(port: number): Promise<string[]> {
  const client = new Redis({ host: '127.0.0.1', port });
  const lf = new RedisLimiter({ redis: fromIoredis(client), key: 'lat-limiter', limit: 1_000_000, lease: 30_000 });
  await clearBottleneck(port, 'lat-bn-conc', 1_000_000);
  const bottleneck = new Bottleneck({
    id: 'lat-bn-conc',
    maxConcurrent: 1_000_000,
    datastore: 'ioredis',
    Redis,
    clientOptions: { host: '127.0.0.1', port },
  });
  await bottleneck.ready();
  const noop = (): Promise<void> => Promise.resolve();
  // Interleaved rounds (the machine is shared): the median of each figure over the rounds.
  const rounds: Record<'ping' | 'acquire' | 'run' | 'bottleneck', { p50: number; p99: number }[]> = {
    ping: [],
    acquire: [],
    run: [],
    bottleneck: [],
  };
  for (let round = 0; round < 3; round++) {
    rounds.ping.push(await latency(1000, () => client.ping()));
    rounds.acquire.push(
      await latency(1000, async () => {
        const release = await lf.acquire();
        release();
      }),
    );
    rounds.run.push(await latency(1000, () => lf.run(noop)));
    rounds.bottleneck.push(await latency(500, () => bottleneck.schedule(noop)));
  }
  await bottleneck.disconnect(false);
  client.disconnect();
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const lat = Object.fromEntries(
    Object.entries(rounds).map(([name, rs]) => [name, { p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)) }]),
  ) as Record<keyof typeof rounds, { p50: number; p99: number }>;

  console.log('limiter fleet: lf, bottleneck ...');
  const fleets: Record<LimiterLib, { max: number; jobsPerSecond: number }> = {
    lf: await fleet('lf', port),
    bottleneck: await fleet('bottleneck', port),
  };
  console.log('limiter: SIGKILL of a holder ...');
  const back = {
    lf: await killed('lf', port, null, 6000),
    bottleneck: await killed('bottleneck', port, null, 6000),
    bottleneckExpiring: await killed('bottleneck', port, 2000, 6000),
  };
  const ms = (x: number | undefined): string => (x === undefined ? 'not within 6 s' : `${Math.round(x)} ms`);

  return [
    '## RedisLimiter: one process, no contention',
    '',
    'Sequential round trips in one process (limit 1e6: never a wait), median of 3 interleaved rounds of 1000 (bottleneck 500).',
    '',
    '| what | p50 (ms) | p99 (ms) |',
    '| --- | ---: | ---: |',
    `| PING (one round trip) | ${fmt(lat.ping.p50)} | ${fmt(lat.ping.p99)} |`,
    `| lf \`acquire()\` then \`release()\` (the release is not awaited) | ${fmt(lat.acquire.p50)} | ${fmt(lat.acquire.p99)} |`,
    `| lf \`run(fn)\` | ${fmt(lat.run.p50)} | ${fmt(lat.run.p99)} |`,
    `| bottleneck \`schedule(fn)\`, clustered \`maxConcurrent\` | ${fmt(lat.bottleneck.p50)} | ${fmt(lat.bottleneck.p99)} |`,
    '',
    `## RedisLimiter: the fleet, 4 processes x 4 loops sharing limit ${LIMIT}, jobs holding 10..40 ms`,
    '',
    'Each job counts itself in (INCR) and out (DECR) in a Redis key, inside the limiter: "most in at once" is the largest INCR reply.',
    '',
    '| library | most in at once (limit 5) | jobs/s |',
    '| --- | ---: | ---: |',
    ...LIBS.map((lib) => `| ${lib} | ${fleets[lib].max} | ${Math.round(fleets[lib].jobsPerSecond)} |`),
    '',
    `## RedisLimiter: a process SIGKILLed while it holds all ${LIMIT} slots`,
    '',
    'Time from the SIGKILL until a waiting process holds all 5 slots.',
    '',
    '| library | slots back after |',
    '| --- | ---: |',
    `| lf, lease ${LEASE} ms | ${ms(back.lf)} |`,
    `| bottleneck, no job \`expiration\` (its default) | ${ms(back.bottleneck)} |`,
    `| bottleneck, \`expiration: 2000\` on every job (counted from the job's start, ~0.3 s before the kill) | ${ms(back.bottleneckExpiring)} |`,
    '',
    `- Target: at most ${LIMIT} in at once (lf max ${fleets.lf.max}): ${fleets.lf.max <= LIMIT ? 'met' : 'NOT met'}.`,
    `- Target: slots back within the lease + a margin after a SIGKILL (lf ${ms(back.lf)}, lease ${LEASE} ms, margin 500 ms): ${back.lf !== undefined && back.lf <= LEASE + 500 ? 'met' : 'NOT met'}.`,
    "- bottleneck frees a dead client's running jobs only by their `expiration` (its clients time out after `clientTimeout`, 10 s, but only once they run nothing), and a waiting client sees the freed slots at the next script call, at worst its heartbeat (every 5 s): expiration + up to 5 s. Its clustering has open reports against Redis 7 (`ERR SETTINGS_KEY_NOT_FOUND` in cluster mode, SGrondin/bottleneck#205, #219; `UNKNOWN_CLIENT` after reconnects, #212). These runs used standalone Redis 7.",
    '',
  ];
}

if (process.argv[2] === '--worker' && process.argv[1] !== undefined && resolvePath(process.argv[1]) === self) {
  await worker(JSON.parse(process.argv[3] ?? '{}') as LimiterWorkerConfig);
}
