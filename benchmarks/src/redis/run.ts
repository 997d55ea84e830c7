/**
 * `pnpm bench:redis`: lf's RedisRateLimiter against rate-limiter-flexible
 * (RateLimiterRedis + RateLimiterQueue) and bottleneck's clustering, on a
 * throw-away redis-server this script starts (and always stops).
 *
 * - The fleet: 8 processes share one limit (`LIMIT` cost per `INTERVAL` ms,
 *   random costs 1..3), one of them with its clock 3 s ahead. Reported: the
 *   most cost started in any window by the server's clock (lf: `grant.at`;
 *   the peers: the machine's clock, which is the server's on loopback), by
 *   each process's own clock, and by the real start time; the utilisation.
 * - No contention: acquire latency p50/p99 in one process against a PING.
 * - Throughput: acquires per second on one connection (many in flight).
 *   Both in interleaved rounds (the machine is shared): the median round and
 *   the range. lf runs as an esbuild bundle of its source (as in the fleet's
 *   workers, and as tsup builds it), not through tsx, whose keepNames wraps
 *   every closure lf makes per call in a defineProperty.
 * - RedisLimiter against bottleneck's clustered maxConcurrent: limiter.ts
 *   (round trips, most in at once across processes, a SIGKILLed holder).
 *
 *   pnpm bench:redis            print
 *   pnpm bench:redis --write    print and write benchmarks/REDIS-RESULTS.md
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { Redis } from 'ioredis';
import Bottleneck from 'bottleneck';
import { RateLimiterRedis } from 'rate-limiter-flexible';
// @lf/redis is not a dependency of the benchmarks package (it needs redis-server): its source, by path, bundled below.
import type * as LfRedis from '../../../packages/redis/src/index.js';
import { ACQUIRE } from '../../../packages/redis/src/scripts.js';
import { startRedis, stopRedis, waitUptime } from '../../../packages/redis/test/redis-server.js';
import { limiterBench } from './limiter.js';
import type { Lib, Start, WorkerConfig } from './worker.js';
import { latency, percentile } from './latency.js';

const write = process.argv.includes('--write');
const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));

const LIMIT = 50;
const INTERVAL = 1000;
const WORKERS = 8;
const DURATION = 5000;
const ROUNDS = 3;
const LIBS: readonly Lib[] = ['lf', 'rate-limiter-flexible', 'bottleneck'];

function maxWindow(starts: readonly Start[], time: (s: Start) => number): number {
  const sorted = [...starts].sort((x, y) => time(x) - time(y));
  let max = 0;
  let sum = 0;
  let lo = 0;
  for (const s of sorted) {
    sum += s.cost;
    for (let old = sorted[lo]; old !== undefined && time(old) <= time(s) - INTERVAL; old = sorted[++lo]) sum -= old.cost;
    max = Math.max(max, sum);
  }
  return max;
}

/** Cost started in the whole windows from the first start on, by the server's clock, over what the limit allows in them. */
function utilisation(starts: readonly Start[]): number {
  const times = starts.map((s) => s.server).sort((x, y) => x - y);
  const first = times[0] ?? 0;
  const windows = Math.floor(((times[times.length - 1] ?? 0) - first) / INTERVAL);
  if (windows === 0) return 0;
  let cost = 0;
  for (const s of starts) if (s.server < first + windows * INTERVAL) cost += s.cost;
  return cost / (windows * LIMIT);
}

/**
 * lf's starts by real time: how long after its slot (`grant.at`) each one
 * started, and the worst real window split into the cost whose slots lie in
 * that window and the cost whose slots came before it (started late).
 */
function lateness(starts: readonly Start[]): { p50: number; p99: number; max: number; cost: number; inWindow: number; late: number } {
  const late = starts.map((s) => s.real - s.server).sort((x, y) => x - y);
  const sorted = [...starts].sort((x, y) => x.real - y.real);
  let best = { cost: 0, end: 0 };
  let sum = 0;
  let lo = 0;
  for (const s of sorted) {
    sum += s.cost;
    for (let old = sorted[lo]; old !== undefined && old.real <= s.real - INTERVAL; old = sorted[++lo]) sum -= old.cost;
    if (sum > best.cost) best = { cost: sum, end: s.real };
  }
  let inWindow = 0;
  for (const s of starts) if (s.real > best.end - INTERVAL && s.real <= best.end && s.server > best.end - INTERVAL) inWindow += s.cost;
  return {
    p50: percentile(late, 0.5),
    p99: percentile(late, 0.99),
    max: late[late.length - 1] ?? NaN,
    cost: best.cost,
    inWindow,
    late: best.cost - inWindow,
  };
}

const median = (xs: readonly number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? NaN;
const range = (xs: readonly number[], digits: number): string => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

/** An esbuild bundle of `entry` (no keepNames, as tsup builds lf). */
async function bundle(entry: string, name: string): Promise<string> {
  const dir = `${root}benchmarks/node_modules/.lf-bench`;
  mkdirSync(dir, { recursive: true });
  const outfile = `${dir}/${name}-${process.pid}.mjs`;
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    tsconfig: `${root}tsconfig.json`,
    external: ['ioredis', 'rate-limiter-flexible', 'bottleneck'],
    logLevel: 'error',
  });
  return outfile;
}

async function fleet(file: string, lib: Lib, port: number): Promise<Start[]> {
  const children: ChildProcess[] = [];
  try {
    const runs = Array.from({ length: WORKERS }, (_, i) => {
      const config: WorkerConfig = {
        lib,
        port,
        key: `bench-${lib}`,
        limit: LIMIT,
        interval: INTERVAL,
        costMax: 3,
        clockOffset: i === 0 ? 3000 : 0,
        duration: DURATION,
        loops: 3,
      };
      const child = spawn(process.execPath, [file, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'inherit'] });
      children.push(child);
      let out = '';
      let onReady: () => void = () => undefined;
      const ready = new Promise<void>((resolve) => {
        onReady = resolve;
      });
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        if (out.startsWith('ready\n')) onReady();
      });
      const done = new Promise<Start[]>((resolve, reject) => {
        child.on('exit', (code) => {
          const last = out.trim().split('\n').pop() ?? '';
          if (last.startsWith('[')) resolve(JSON.parse(last) as Start[]);
          else reject(new Error(`${lib} worker exited with ${code}`));
        });
      });
      done.catch(() => undefined);
      return { child, ready, done };
    });
    await Promise.all(runs.map((r) => r.ready));
    for (const r of runs) r.child.stdin.write('go\n');
    const killer = setTimeout(() => {
      for (const child of children) child.kill('SIGKILL');
    }, DURATION + 20_000);
    try {
      return (await Promise.all(runs.map((r) => r.done))).flat();
    } finally {
      clearTimeout(killer);
    }
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** Calls per second with `inFlight` calls outstanding, `n` in all. */
async function throughput(n: number, inFlight: number, call: () => Promise<unknown>): Promise<number> {
  let started = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (started < n) {
        started++;
        await call();
      }
    }),
  );
  return n / ((performance.now() - t) / 1000);
}

const fmt = (x: number, digits = 2): string => x.toFixed(digits);

const port = await startRedis();
const lines: string[] = [];
try {
  await waitUptime(port, 2); // past the restart guard (the interval is 1 s)
  const file = await bundle(`${here}worker.ts`, 'worker');
  const lfFile = await bundle(`${root}packages/redis/src/index.ts`, 'lf-redis');
  const { RedisRateLimiter, fromIoredis } = (await import(pathToFileURL(lfFile).href)) as typeof LfRedis;
  rmSync(lfFile, { force: true });
  const fleetRows: string[] = [];
  let lfLate: ReturnType<typeof lateness> | undefined;
  const verdicts: string[] = [];
  try {
    for (const lib of LIBS) {
      console.log(`fleet: ${lib} ...`);
      const starts = await fleet(file, lib, port);
      const byServer = maxWindow(starts, (s) => s.server);
      const byLocal = maxWindow(starts, (s) => s.local);
      const byReal = maxWindow(starts, (s) => s.real);
      fleetRows.push(`| ${lib} | ${byServer} | ${byLocal} | ${byReal} | ${fmt(utilisation(starts) * 100, 0)}% |`);
      if (lib === 'lf') lfLate = lateness(starts);
      if (lib === 'lf')
        verdicts.push(`Target: 0 overshoot by the server clock (max ${byServer} <= ${LIMIT}): ${byServer <= LIMIT ? 'met' : 'NOT met'}.`);
    }
  } finally {
    rmSync(file, { force: true });
  }

  const client = new Redis({ host: '127.0.0.1', port });
  const huge = { limit: 1e12, interval: 1000 };
  const lf = new RedisRateLimiter({ redis: fromIoredis(client), key: 'lat-lf', ...huge });
  // Where lf's time over a PING goes: the EVALSHA call itself (an empty script, lf's keys and
  // arguments), then lf's acquire script sent raw (no lf client code), then lf.
  const rawKeys = ['lf:{lat-raw}:m', 'lf:{lat-raw}::a', 'lf:{lat-raw}::c'];
  const rawArgs = ['1000000', '1', '', '1000000000000', '1000000', '1'];
  const emptySha = String(await client.script('LOAD', 'return { 0, 1, 2, 3, 4 }'));
  const acquireSha = String(await client.script('LOAD', ACQUIRE));
  const emptyLats: { p50: number; p99: number }[] = [];
  const rawLats: { p50: number; p99: number }[] = [];
  const rlf = new RateLimiterRedis({ storeClient: client, keyPrefix: 'lat-rlf', points: 1e9, duration: 1 });
  const bottleneck = new Bottleneck({
    id: 'lat-bn',
    datastore: 'ioredis',
    Redis,
    clientOptions: { host: '127.0.0.1', port },
    clearDatastore: true,
  });
  await bottleneck.ready();
  // Interleaved rounds: each round measures everything once, so that a load spike hits every row alike.
  const pings: { p50: number; p99: number }[] = [];
  const lats: Record<Lib, { p50: number; p99: number }[]> = { lf: [], 'rate-limiter-flexible': [], bottleneck: [] };
  const rates: Record<Lib, number[]> = { lf: [], 'rate-limiter-flexible': [], bottleneck: [] };
  for (let round = 0; round < ROUNDS; round++) {
    console.log(`no contention: round ${round + 1} of ${ROUNDS} ...`);
    pings.push(await latency(2000, () => client.ping()));
    emptyLats.push(await latency(2000, () => client.evalsha(emptySha, rawKeys.length, ...rawKeys, ...rawArgs)));
    rawLats.push(await latency(2000, () => client.evalsha(acquireSha, rawKeys.length, ...rawKeys, ...rawArgs)));
    lats.lf.push(await latency(2000, () => lf.acquire()));
    lats['rate-limiter-flexible'].push(await latency(2000, () => rlf.consume('k')));
    lats.bottleneck.push(await latency(500, () => bottleneck.schedule(() => Promise.resolve())));
    rates.lf.push(await throughput(30_000, 500, () => lf.acquire()));
    rates['rate-limiter-flexible'].push(await throughput(30_000, 500, () => rlf.consume('k')));
    rates.bottleneck.push(await throughput(2_000, 500, () => bottleneck.schedule(() => Promise.resolve())));
  }
  await bottleneck.disconnect(false);
  client.disconnect();
  const ratios = lats.lf.map((l, i) => l.p50 / (pings[i]?.p50 ?? NaN));
  const ratio = median(ratios);
  const lfRate = median(rates.lf);
  const p50s = (xs: readonly { p50: number }[]): number[] => xs.map((x) => x.p50);
  const p99s = (xs: readonly { p99: number }[]): number[] => xs.map((x) => x.p99);
  verdicts.push(
    `Target: p50 overhead one round trip (lf p50 ${fmt(median(p50s(lats.lf)), 3)} ms vs PING ${fmt(median(p50s(pings)), 3)} ms; lf over PING in the median round x${fmt(ratio)}, rounds x${range(ratios, 2)}; <= 2x counts as one round trip plus the script): ${ratio <= 2 ? 'met' : 'NOT met'}.`,
  );
  if (ratio > 2) {
    const ping50 = median(p50s(pings));
    const empty50 = median(p50s(emptyLats));
    const raw50 = median(p50s(rawLats));
    verdicts.push(
      `Where lf's p50 goes, over PING's ${fmt(ping50, 3)} ms (medians of the rounds): the EVALSHA call itself (an empty script with lf's keys and arguments) +${fmt(empty50 - ping50, 3)} ms, lf's acquire script inside Redis +${fmt(raw50 - empty50, 3)} ms (TIME, HMGET, two ZADDs, HSET and the Lua around them), lf's client code +${fmt(median(p50s(lats.lf)) - raw50, 3)} ms. ${raw50 > 2 * ping50 ? `The script sent raw, without any lf client code, is already x${fmt(raw50 / ping50)} a PING here: the EVALSHA call with lf's keys and arguments, and a sliding log's five commands, take longer than a PING's whole round trip on this machine.` : `The script sent raw is within 2x a PING (x${fmt(raw50 / ping50)}): lf's client code is what passes it.`}`,
    );
  }
  verdicts.push(
    `Target: >= 10k grants/s on one connection (lf ${Math.round(lfRate)}/s in the median round, rounds ${range(rates.lf, 0)}/s): ${lfRate >= 10_000 ? 'met' : 'NOT met'}.`,
  );

  lines.push(
    '# Redis benchmarks',
    '',
    `Generated by \`pnpm bench:redis --write\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, redis-server on loopback (no persistence).`,
    'The machine was shared with other work while it ran: the latencies are loaded figures.',
    '',
    `## The fleet: ${WORKERS} processes, ${LIMIT} cost per ${INTERVAL} ms, costs 1..3, one process's clock 3 s ahead`,
    '',
    `Most cost started in any window of ${INTERVAL} ms (the limit is ${LIMIT}): by the server's clock (lf: \`grant.at\`; the peers: the machine's clock at the start, the server's on loopback), by each process's own clock (shifted in one of them), and by the real start time (the machine's clock, read unshifted in every process: \`performance.timeOrigin\` plus the original \`performance.now()\`).`,
    '',
    "| library | by server clock | by the processes' clocks | by real start time | utilisation (server clock) |",
    '| --- | ---: | ---: | ---: | ---: |',
    ...fleetRows,
    '',
    ...(lfLate === undefined
      ? []
      : [
          `lf's guarantee is on \`grant.at\`, the slot on the server's clock; a process starts its call when the reply (or, for a reservation, its timer and the confirm round trip) gets through its event loop: here ${fmt(lfLate.p50)} ms after the slot at the median, ${fmt(lfLate.p99)} ms at p99, ${fmt(lfLate.max)} ms at most. A full window's cost is granted at the slots where the previous window's cost leaves it, so the grants come in bursts, and the late part of one burst lands in the same real second as the next burst: the worst real window held ${lfLate.cost} cost, ${lfLate.inWindow} of it with slots inside that window (never more than the limit) and ${lfLate.late} started late from slots before it. By real start time no limiter that releases work to other processes can hold the limit better than the lateness of those processes allows; the by-process-clocks column adds the shifted clock.`,
          '',
        ]),
    `## One process, no contention (${ROUNDS} interleaved rounds: the median round, the range in brackets)`,
    '',
    '| library | acquire p50 (ms) | p99 (ms) | acquires/s on one connection (500 in flight) |',
    '| --- | ---: | ---: | ---: |',
    `| PING (one round trip) | ${fmt(median(p50s(pings)), 3)} [${range(p50s(pings), 3)}] | ${fmt(median(p99s(pings)), 3)} | |`,
    `| EVALSHA of an empty script (lf's keys and arguments) | ${fmt(median(p50s(emptyLats)), 3)} [${range(p50s(emptyLats), 3)}] | ${fmt(median(p99s(emptyLats)), 3)} | |`,
    `| EVALSHA of lf's acquire script, raw (no lf client code) | ${fmt(median(p50s(rawLats)), 3)} [${range(p50s(rawLats), 3)}] | ${fmt(median(p99s(rawLats)), 3)} | |`,
    ...LIBS.map(
      (lib) =>
        `| ${lib} | ${fmt(median(p50s(lats[lib])), 3)} [${range(p50s(lats[lib]), 3)}] | ${fmt(median(p99s(lats[lib])), 3)} | ${Math.round(median(rates[lib]))} [${range(rates[lib], 0)}] |`,
    ),
    '',
    ...verdicts.map((v) => `- ${v}`),
    '',
  );
  lines.push(...(await limiterBench(port))); // RedisLimiter against bottleneck's clustered maxConcurrent
} finally {
  stopRedis(port);
}

const text = lines.join('\n');
console.log(text);
if (write) writeFileSync(`${root}benchmarks/REDIS-RESULTS.md`, text);
process.exit(0);
