/**
 * Soak with faults: N items (default 1e5) through `alcall` (the BUILT
 * packages) in runs of random size and options — random latencies, ~10%
 * random failures, retries, `retryDefault`, `retryTimeout`, throttling,
 * `stopOnError` on and off, and random aborts — then checks that:
 *
 * - every item is accounted for exactly once: a value, a `retryDefault`, one
 *   listed error (AggregateError), the run's one error (stopOnError), or
 *   cancelled (its run stopped before or while it ran);
 * - an item that ran to its end made exactly as many attempts as it took to
 *   succeed (at most numRetries + 1), where an attempt fails when it throws
 *   or when `retryTimeout` cut it — known from the attempt signal's reason (a
 *   `TimeoutError`), so an attempt that a busy machine made run past the
 *   timeout is counted as what it was, and every planned hang was cut;
 * - when a run settles, no call it started is still running;
 * - at the end: no pending timer, no listener on the long-lived signal, no
 *   unhandled rejection.
 *
 * Prints the accounting table; exits 1 on any accounting error.
 *
 *   pnpm soak                                  # 1e5 items
 *   node --expose-gc --import tsx scripts/soak.ts --items 10000 --seed 7
 */
import { getEventListeners, setMaxListeners } from 'node:events';
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import type * as LF from '../packages/async-utils/src/index.js';
import type * as ScopeInternal from '../packages/scope/src/internal.js';

// ---- arguments
function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be an integer >= 0`);
  return value;
}
const ITEMS = arg('items', 100_000);
const SEED = arg('seed', 20_250_601);

// ---- live timers: wrap setTimeout/clearTimeout BEFORE lf is loaded
const live = new Set<unknown>();
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
globalThis.setTimeout = ((callback: (...a: unknown[]) => void, ms?: number, ...rest: unknown[]) => {
  const handle = realSetTimeout(
    (...a: unknown[]) => {
      live.delete(handle);
      callback(...a);
    },
    ms,
    ...rest,
  );
  live.add(handle);
  return handle;
}) as typeof setTimeout;
globalThis.clearTimeout = ((handle: ReturnType<typeof setTimeout> | undefined) => {
  live.delete(handle);
  realClearTimeout(handle);
}) as typeof clearTimeout;

let unhandled = 0;
process.on('unhandledRejection', (reason) => {
  unhandled++;
  console.error('unhandled rejection:', reason);
});

// ---- the built packages: tsx maps '@lf/*' to the sources (tsconfig paths);
// this resolve hook, registered after tsx's and so consulted first, maps them to dist.
const root = new URL('..', import.meta.url);
register(
  `data:text/javascript,${encodeURIComponent(`
    const root = ${JSON.stringify(root.href)};
    export async function resolve(specifier, context, next) {
      const m = /^@lf\\/([a-z-]+)$/.exec(specifier);
      if (m) return { url: new URL('packages/' + m[1] + '/dist/index.js', root).href, shortCircuit: true };
      return next(specifier, context);
    }`)}`,
  pathToFileURL('./'),
);
const lf = (await import(new URL('packages/async-utils/dist/index.js', root).href)) as typeof LF;
const scopeDist = (await import(new URL('packages/scope/dist/index.js', root).href)) as typeof LF;
if (lf.TimeoutError !== scopeDist.TimeoutError) throw new Error('soak: not running on the built packages');
const { linkedController } = (await import(new URL('packages/scope/dist/internal.js', root).href)) as typeof ScopeInternal;

// ---- a seeded PRNG (mulberry32), so a failing soak replays with --seed
let state = SEED >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}
const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
const chance = (p: number): boolean => random() < p;

class SoakError extends Error {
  override readonly name = 'SoakError';
  constructor(
    readonly item: number,
    readonly attempt: number,
  ) {
    super(`item ${item} failed (attempt ${attempt})`);
  }
}

/** What an item's attempts do: latency, and whether each attempt fails. */
interface Item {
  id: number;
  latency: number;
  /** Failing attempts before the first success (Infinity: always fails); ~10% of items fail at least once. */
  failures: number;
  /** Attempt that hangs past retryTimeout (0 = none). */
  hangOn: number;
}

const count = {
  items: 0,
  value: 0,
  retryDefault: 0,
  listedError: 0,
  runError: 0,
  cancelled: 0,
  attempts: 0,
  attemptsFailed: 0,
  attemptsTimedOut: 0,
  runs: 0,
  runsResolved: 0,
  runsAggregate: 0,
  runsStoppedOnError: 0,
  runsAborted: 0,
  errors: 0,
};
const errors: string[] = [];
function fail(message: string): void {
  count.errors++;
  if (errors.length < 20) errors.push(message);
}

const longLived = new AbortController();
setMaxListeners(0, longLived.signal);

/** A wait on real time that stops at once when `signal` aborts. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms === 0) return Promise.resolve();
  return lf.sleep(ms, { signal });
}

async function soakRun(items: Item[]): Promise<void> {
  count.runs++;
  const numRetries = chance(0.5) ? int(1, 2) : 0;
  const stopOnError = chance(0.3);
  const hasDefault = chance(stopOnError ? 0.6 : 0.3);
  const useTimeout = chance(0.3);
  const throttlePeriod = chance(0.1) ? 1 : 0;
  const aborted = chance(0.15);
  const controller = aborted ? linkedController(longLived.signal) : undefined;
  const abortReason = new Error('soak abort');
  const abortTimer = controller
    ? setTimeout(
        () => {
          controller.abort(abortReason);
        },
        int(0, 30),
      )
    : undefined;

  const attempts = new Map<number, number>();
  /** The attempts of each item that `retryTimeout` cut (known from the attempt signal's reason). */
  const timedOut = new Map<number, Set<number>>();
  const outcome = new Map<number, 'ok' | 'failed'>();
  let running = 0;
  const options = {
    maxConcurrent: int(20, 500),
    stopOnError,
    signal: controller ? controller.signal : longLived.signal,
    ...(numRetries > 0 ? { numRetries, retryDelay: int(0, 2) } : {}),
    ...(hasDefault ? { retryDefault: null } : {}),
    ...(useTimeout ? { retryTimeout: 25 } : {}),
    ...(throttlePeriod > 0 ? { throttlePeriod } : {}),
  };
  const lastAttempt = numRetries + 1;
  const run = lf.alcall(
    items,
    async (item: Item, { attempt, signal }) => {
      count.attempts++;
      attempts.set(item.id, attempt);
      running++;
      try {
        // A hang is cut by retryTimeout (or the run); under load a 0-8 ms attempt
        // can run past the 25 ms retryTimeout too, and is rightly retried.
        if (useTimeout && item.hangOn === attempt) await delay(60_000, signal);
        await delay(item.latency, signal);
        if (attempt <= item.failures) {
          count.attemptsFailed++;
          if (attempt === lastAttempt) outcome.set(item.id, 'failed');
          throw new SoakError(item.id, attempt);
        }
        outcome.set(item.id, 'ok');
        return item.id;
      } catch (error) {
        if (signal.aborted && signal.reason instanceof lf.TimeoutError) {
          count.attemptsTimedOut++;
          let cut = timedOut.get(item.id);
          if (!cut) timedOut.set(item.id, (cut = new Set()));
          cut.add(attempt);
        }
        throw error;
      } finally {
        running--;
      }
    },
    options,
  );
  let settled: { ok: true; value: unknown[] } | { ok: false; error: unknown };
  try {
    settled = { ok: true, value: await run };
  } catch (error) {
    settled = { ok: false, error };
  }
  if (running !== 0) fail(`run ${count.runs}: ${running} calls still running when alcall settled`);
  clearTimeout(abortTimer);
  controller?.dispose();

  count.items += items.length;
  for (const item of items) {
    const made = attempts.get(item.id) ?? 0;
    if (made > lastAttempt) fail(`item ${item.id}: ${made} attempts, at most ${lastAttempt} allowed`);
    const cut = timedOut.get(item.id) ?? new Set<number>();
    if (!useTimeout && cut.size > 0) fail(`item ${item.id}: an attempt timed out without retryTimeout`);
    // Every item ran to its end unless the run stopped early: exactly as many attempts as
    // it took to succeed, where an attempt fails when it throws or when retryTimeout cut it;
    // and a planned hang was cut by retryTimeout.
    const ranToEnd = settled.ok || settled.error instanceof AggregateError;
    if (ranToEnd && useTimeout && item.hangOn > 0 && item.hangOn <= made && !cut.has(item.hangOn)) {
      fail(`item ${item.id}: attempt ${item.hangOn} hung but was not cut by retryTimeout`);
    }
    const expected = expectedAttempts(item, cut, lastAttempt);
    if (ranToEnd && made !== expected) {
      fail(`item ${item.id}: ${made} attempts (${cut.size} cut by retryTimeout), expected ${expected}`);
    }
  }
  if (settled.ok) {
    count.runsResolved++;
    settled.value.forEach((value, i) => {
      const item = items[i];
      if (item === undefined) return;
      if (value === item.id) count.value++;
      else if (value === null && hasDefault) count.retryDefault++;
      else fail(`item ${item.id}: unexpected result ${String(value)}`);
    });
    if (settled.value.length !== items.length) fail(`run ${count.runs}: ${settled.value.length} results for ${items.length} items`);
    return;
  }
  const error = settled.error;
  if (error instanceof AggregateError) {
    // stopOnError false: every item ran; exactly the failed items are listed, in input order.
    count.runsAggregate++;
    const listed = error.errors.map((e) => (e instanceof SoakError ? e.item : e instanceof lf.TimeoutError ? 'timeout' : String(e)));
    const failedIds = items.filter((item) => !hasDefault && outcome.get(item.id) !== 'ok').map((item) => item.id);
    if (listed.length !== failedIds.length) fail(`run ${count.runs}: ${listed.length} listed errors for ${failedIds.length} failed items`);
    listed.forEach((id, k) => {
      if (id !== 'timeout' && id !== failedIds[k])
        fail(`run ${count.runs}: listed error ${k} is for item ${String(id)}, expected ${failedIds[k]}`);
    });
    count.listedError += listed.length;
    count.value += items.length - listed.length; // the others produced a value (no default: hasDefault is false here)
    return;
  }
  if (error === abortReason) {
    count.runsAborted++;
  } else if (error instanceof SoakError || error instanceof lf.TimeoutError) {
    count.runsStoppedOnError++;
    count.runError++;
    if (!stopOnError) fail(`run ${count.runs}: a single error with stopOnError false`);
  } else {
    fail(`run ${count.runs}: unexpected rejection ${String(error)}`);
    return;
  }
  // Stopped early: the one reported error is one item; every other item is cancelled (not started, or stopped).
  count.cancelled += items.length - (error === abortReason ? 0 : 1);
}

/** The attempts an item that ran to its end makes: up to the first that neither throws nor times out, at most `lastAttempt`. */
function expectedAttempts(item: Item, cut: ReadonlySet<number>, lastAttempt: number): number {
  for (let attempt = 1; attempt < lastAttempt; attempt++) {
    if (attempt > item.failures && !cut.has(attempt)) return attempt;
  }
  return lastAttempt;
}

const started = performance.now();
const heapBefore = process.memoryUsage().heapUsed;
let next = 0;
while (next < ITEMS) {
  const size = Math.min(ITEMS - next, int(50, 1500));
  const items: Item[] = [];
  for (let i = 0; i < size; i++) {
    const faulty = chance(0.1);
    items.push({
      id: next + i,
      latency: chance(0.2) ? 0 : int(0, 8),
      failures: faulty ? (chance(0.5) ? Infinity : int(1, 2)) : 0,
      hangOn: chance(0.02) ? int(1, 2) : 0,
    });
  }
  next += size;
  await soakRun(items);
}

// ---- end-of-run hygiene
await new Promise((resolve) => realSetTimeout(resolve, 10));
(globalThis as { gc?: () => void }).gc?.();
const listeners = getEventListeners(longLived.signal, 'abort').length;
const accounted = count.value + count.retryDefault + count.listedError + count.runError + count.cancelled;
if (accounted !== count.items || count.items !== ITEMS) fail(`accounted for ${accounted} of ${count.items} items (${ITEMS} requested)`);
if (live.size !== 0) fail(`${live.size} timers still pending at the end`);
if (listeners !== 0) fail(`${listeners} listeners left on the long-lived signal`);
if (unhandled !== 0) fail(`${unhandled} unhandled rejections`);

const rows: [string, number | string][] = [
  ['items', count.items],
  ['  value', count.value],
  ['  retryDefault', count.retryDefault],
  ['  listed error (AggregateError, stopOnError: false)', count.listedError],
  ['  the run error (stopOnError: true)', count.runError],
  ['  cancelled (run aborted or stopped)', count.cancelled],
  ['  accounted for', accounted],
  ['attempts', count.attempts],
  ['  failed attempts', count.attemptsFailed],
  ['  attempts cut by retryTimeout', count.attemptsTimedOut],
  ['runs', count.runs],
  ['  resolved', count.runsResolved],
  ['  rejected: AggregateError', count.runsAggregate],
  ['  rejected: stopped on error', count.runsStoppedOnError],
  ['  rejected: aborted', count.runsAborted],
  ['pending timers at the end', live.size],
  ['listeners on the long-lived signal', listeners],
  ['unhandled rejections', unhandled],
  ['heap growth (MB, after gc)', ((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20).toFixed(1)],
  ['time (s)', ((performance.now() - started) / 1000).toFixed(1)],
  ['accounting errors', count.errors],
];
console.log(`soak: ${ITEMS} items, seed ${SEED}, built packages`);
const width = Math.max(...rows.map(([label]) => label.length));
for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${String(value).padStart(8)}`);
for (const message of errors) console.error(`ERROR ${message}`);
process.exitCode = count.errors === 0 ? 0 : 1;
