/**
 * `pnpm playground:fleet`: six worker processes share one RedisRateLimiter
 * (requests and tokens per second) and one RedisLimiter (requests in flight)
 * through a throw-away redis-server, and the terminal shows, second by
 * second, what the fleet did against each limit. Midway one worker is
 * SIGKILLed while it holds leases: nobody releases them, and the chart shows
 * them coming back when they expire. The run ends by itself (within a
 * minute; `--quick` or LF_FLEET_QUICK=1 for a short one) and leaves nothing
 * running, also on Ctrl-C. Exits 1 when a check fails, so it doubles as a
 * smoke test.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Redis } from 'ioredis';
import { createPainter, shouldColor } from '../ansi.js';
import { show } from '../format.js';
import { formatMs } from '../timeline.js';
import { checkWindows } from '../windows.js';
import type { Release } from '../windows.js';
import { ASCII, BLOCKS, header, line } from './chart.js';
import { countKeys, parseEvent } from './protocol.js';
import type { WorkerConfig, WorkerEvent } from './protocol.js';
import { missingRedisServer, ping, redisServerVersion, startRedisServer } from './redis-server.js';
import type { RedisServer } from './redis-server.js';
import { fleetSettings } from './settings.js';
import type { FleetSettings } from './settings.js';
import { FleetTally } from './tally.js';

const out = (text = ''): void => {
  process.stdout.write(`${text}\n`);
};

let settings: FleetSettings;
try {
  settings = fleetSettings(process.argv.slice(2), process.env);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
const version = redisServerVersion();
if (version === undefined) {
  process.stderr.write(missingRedisServer(process.platform));
  process.exit(1);
}

const paint = createPainter(shouldColor(process.stdout, process.env));
const glyphs = process.stdout.isTTY ? BLOCKS : ASCII;
const problems: string[] = [];
const workers: ChildProcessByStdio<Writable, Readable, null>[] = [];
/** What is running, for the cleanup (set as each starts). */
const running: { server?: RedisServer; admin?: Redis; tally?: FleetTally } = {};
/** The workers' bundle: one build, so that each worker starts in a moment (six TypeScript loaders would take seconds). */
const bundleDir = fileURLToPath(new URL('../../node_modules/.lf-fleet/', import.meta.url));
const workerFile = `${bundleDir}worker-${process.pid}.mjs`;

/** Stops everything this demo started; synchronous, so the exit handler can call it too. */
function cleanup(): void {
  for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  running.admin?.disconnect();
  running.server?.stop();
  rmSync(workerFile, { force: true });
}
process.on('exit', cleanup);
// A closed stdout (`| head`): stop everything quietly.
process.stdout.on('error', () => {
  cleanup();
  process.exit(1);
});
async function stopAndExit(code: number, message: string): Promise<never> {
  out(message);
  cleanup();
  if (running.server !== undefined) await Promise.race([running.server.exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopAndExit(signal === 'SIGINT' ? 130 : 143, paint.yellow(`\n${signal}: stopped the workers and redis-server`));
  });
}
const watchdog = setTimeout(() => {
  void stopAndExit(1, paint.red(`playground:fleet: still running after ${formatMs(settings.hardStop)}: stopped (a bug)`));
}, settings.hardStop);

const launched = Date.now();
mkdirSync(bundleDir, { recursive: true });
const bundled = build({
  entryPoints: [fileURLToPath(new URL('./worker.ts', import.meta.url))],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: workerFile,
  external: ['ioredis'], // resolved from the playground's node_modules, beside the bundle
  logLevel: 'error',
});
const server = await startRedisServer();
running.server = server;
await bundled;
const port = server.port;
const admin = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
running.admin = admin;
admin.on('error', () => undefined);
const keys = countKeys('fleet');

out(
  `${paint.bold('lf fleet')}: ${settings.workers} worker processes share one RedisRateLimiter and one RedisLimiter through a throw-away ${version.split(' ').slice(0, 3).join(' ')} on 127.0.0.1:${port}`,
);
out(
  `  RedisRateLimiter limits: requests ${settings.requestsPerSecond}/s, tokens ${settings.tokensPerSecond}/s (a request costs ${settings.tokens[0]}..${settings.tokens[1]} tokens)`,
);
out(
  `  RedisLimiter: limit ${settings.concurrency}, lease ${formatMs(settings.lease)} (renewed while held); a request holds its lease ${settings.hold[0]}..${settings.hold[1]} ms`,
);
out(
  `  each worker: alcall(requests, callProvider, { maxConcurrent: ${settings.perWorker}, limiter, rateLimiter, cost: (r) => ({ tokens: r.tokens }) })`,
);
out(
  paint.dim(
    '  per second: requests and tokens granted (by grant.at, the Redis clock), leases held at once (in/out counting in a Redis key)',
  ),
);

// ---- the workers
const held: number[] = [];
const releases: Release[] = [];
let killedAt: number | undefined;
let orphans = 0;
let orphansCounted: number | undefined;
let firstBack: number | undefined;
let allBack: number | undefined;
let finished = 0;
let requests = 0;
let failed = 0;

function onEvent(id: number, event: WorkerEvent): void {
  switch (event.type) {
    case 'grant':
      releases.push({ index: releases.length, at: event.at, costs: { requests: 1, tokens: event.tokens } });
      running.tally?.grant(event.at, event.tokens);
      break;
    case 'in':
      held[id] = (held[id] ?? 0) + 1;
      running.tally?.holders(event.t, event.count);
      // Once the killed worker's count is taken out, a count above limit - orphans means one of its leases expired.
      if (orphansCounted !== undefined && event.t >= orphansCounted) {
        if (event.count > settings.concurrency - orphans) firstBack ??= event.t;
        if (event.count >= settings.concurrency) allBack ??= event.t;
      }
      break;
    case 'out':
      held[id] = (held[id] ?? 0) - 1;
      break;
    case 'lost':
      problems.push(`worker ${id} lost a lease (LeaseLostError)`);
      break;
    case 'done':
      finished++;
      requests += event.requests;
      failed += event.failed;
      break;
    case 'ready':
      break;
  }
}

const ready = Array.from({ length: settings.workers }, (_, id) => {
  const config: WorkerConfig = {
    id,
    port,
    key: 'fleet',
    requestsPerSecond: settings.requestsPerSecond,
    tokensPerSecond: settings.tokensPerSecond,
    concurrency: settings.concurrency,
    lease: settings.lease,
    perWorker: settings.perWorker,
    tokens: settings.tokens,
    hold: settings.hold,
    duration: settings.duration,
  };
  const worker = spawn(process.execPath, [workerFile, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'inherit'] });
  workers.push(worker);
  return new Promise<void>((resolve, reject) => {
    createInterface({ input: worker.stdout }).on('line', (text) => {
      const event = parseEvent(text);
      if (event?.type === 'ready') resolve();
      if (event !== undefined) onEvent(id, event);
    });
    worker.once('exit', (code, signal) => {
      reject(new Error(`worker ${id} exited before it was ready (${signal ?? code})`));
    });
  });
});
const exits = workers.map(
  (worker) =>
    new Promise<void>((resolve) =>
      worker.once('close', () => {
        resolve();
      }),
    ),
);
try {
  await Promise.all(ready);
} catch (error) {
  await stopAndExit(1, paint.red(`playground:fleet: ${show(error)}`));
}
// A fresh Redis: the limiters' restart guards hold admissions until it has been up for one interval / one lease.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, launched + Math.max(1000, settings.lease) + 200 - Date.now())));

const [seconds, micros] = (await admin.time()) as [string | number, string | number];
const t0 = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
const t0Local = Date.now();
const tally = new FleetTally(t0);
running.tally = tally;
out(paint.dim(`  redis-server and ${settings.workers} workers ready in ${formatMs(Date.now() - launched)}`));
out('');
out(paint.bold(header(settings)));
for (const worker of workers) worker.stdin.write('go\n');

// ---- the kill: the worker holding the most leases, SIGKILL; then its count is taken out of the in/out key.
async function kill(): Promise<void> {
  let victim = -1;
  for (let tries = 0; tries < 10; tries++) {
    victim = held.reduce((best, n, id) => (n > (held[best] ?? 0) ? id : best), 0);
    if ((held[victim] ?? 0) > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const worker = workers[victim];
  const closed = exits[victim];
  if (worker === undefined || closed === undefined) throw new Error('no worker to kill');
  killedAt = Date.now();
  worker.kill('SIGKILL');
  await closed;
  // Atomically: what it had counted in, out of the total.
  const taken = (await admin.eval(
    "local n = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0'); redis.call('DECRBY', KEYS[1], n); redis.call('HDEL', KEYS[2], ARGV[1]); return n",
    2,
    keys.total,
    keys.byWorker,
    String(victim),
  )) as number;
  orphans = taken;
  orphansCounted = Date.now();
  out(
    paint.yellow(
      `  >> SIGKILL worker ${victim} while it held ${taken} lease${taken === 1 ? '' : 's'}: nobody releases them; they expire within lease = ${formatMs(settings.lease)}`,
    ),
  );
}
const killTimer = setTimeout(() => {
  kill().catch((error: unknown) => problems.push(`the kill failed: ${show(error)}`));
}, settings.killAt);

// ---- one line per second, drawn a moment after the second ends (its last reports have arrived)
const lastSecond = Math.ceil((settings.duration + settings.hold[1]) / 1000);
let reportedBack = false;
function reportBack(): void {
  if (reportedBack || killedAt === undefined || firstBack === undefined) return;
  reportedBack = true;
  const all = allBack === undefined ? '' : `, all ${orphans} after ${formatMs(allBack - killedAt)}`;
  out(
    paint.cyan(
      `  << the killed worker's leases come back: the first ${formatMs(firstBack - killedAt)} after the kill${all} (lease ${formatMs(settings.lease)})`,
    ),
  );
}
for (let k = 0; k < lastSecond; k++) {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, t0Local + (k + 1) * 1000 + 250 - Date.now())));
  const start = t0Local + k * 1000;
  const row = tally.second(k);
  // The killed worker's leases, drawn beside the live ones while they are still held (never past the limit).
  const stillHeld =
    killedAt !== undefined && orphansCounted !== undefined && start + 1000 > killedAt && (firstBack === undefined || start < firstBack);
  out(line(row, settings, paint, glyphs, stillHeld ? Math.min(orphans, Math.max(0, settings.concurrency - row.leases)) : 0));
  if (allBack !== undefined || (firstBack !== undefined && Date.now() > firstBack + 1000)) reportBack();
}
clearTimeout(killTimer);
await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 5000))]);
reportBack();

// ---- the checks
out('');
let passed = 0;
const check = (ok: boolean, text: string): void => {
  out(`  ${ok ? paint.green('ok  ') : paint.red('FAIL')} ${text}`);
  if (ok) passed++;
  else problems.push(text);
};
const byRequests = checkWindows(releases, { name: 'requests', limit: settings.requestsPerSecond, interval: 1000 });
const byTokens = checkWindows(releases, { name: 'tokens', limit: settings.tokensPerSecond, interval: 1000 });
check(
  byRequests.over === 0,
  `requests: at most ${settings.requestsPerSecond} granted in any window of 1000 ms by grant.at, across ${settings.workers} processes (peak ${byRequests.peak}, ${releases.length} grants)`,
);
check(byTokens.over === 0, `tokens: at most ${settings.tokensPerSecond} in any window of 1000 ms by grant.at (peak ${byTokens.peak})`);
check(
  tally.maxLeases <= settings.concurrency,
  `leases: at most ${settings.concurrency} held at once, by in/out counting (max ${tally.maxLeases})`,
);
const bound = settings.lease + 1500;
if (killedAt === undefined) check(false, 'a worker was killed');
else {
  const back = firstBack === undefined ? undefined : firstBack - killedAt;
  check(
    back !== undefined && back <= bound,
    back === undefined
      ? `the killed worker's ${orphans} lease(s) never came back`
      : `the killed worker's leases came back ${formatMs(back)} after the kill (lease ${formatMs(settings.lease)}; bound lease + 1.5 s)`,
  );
}
check(
  finished === settings.workers - 1,
  `the ${settings.workers - 1} other workers finished their alcall (${requests} requests${failed > 0 ? `, ${failed} failed` : ''})`,
);
check(
  failed === 0 || failed < requests / 10,
  'fewer than 10% of the requests failed (a Redis command past its commandTimeout on a loaded machine fails its request)',
);

clearTimeout(watchdog);
admin.disconnect();
server.stop();
await Promise.race([server.exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
check(!(await ping(port, 300)), `redis-server stopped; nothing left running (${formatMs(Date.now() - launched)} in all)`);
// CI counts the checks with its test runs: LF_FLEET_REPORT names a file for them, in vitest's JSON report shape.
const reportFile = process.env.LF_FLEET_REPORT;
if (reportFile !== undefined && reportFile !== '') {
  writeFileSync(reportFile, JSON.stringify({ numPassedTests: passed, numFailedTests: problems.length, success: problems.length === 0 }));
}
if (problems.length > 0) {
  out(paint.red(`${problems.length} problem(s)`));
  process.exitCode = 1;
} else out(paint.green('all checks passed'));
