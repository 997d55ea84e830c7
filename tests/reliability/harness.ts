/**
 * Shared harness of the reliability suite: fast-check settings (fixed but
 * overridable seed, printed), a fast fake-clock driver, and instrumented calls.
 *
 * Replay (see docs/RELIABILITY.md):
 *   FC_SEED=<seed> FC_PATH=<path> npx vitest run --project tests reliability/<file> -t '<test name>'
 */
import fc from 'fast-check';
import { vi } from 'vitest';
import { onAbort } from '@lf/scope/internal';
import { FAKE_TIMERS, drain } from '@lf/test-support';

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer (got ${raw})`);
  return value;
}

/** The seed of every property (FC_SEED overrides it). Fixed, so CI failures replay exactly. */
export const SEED = envInt('FC_SEED', 20_250_601);
/** Runs per property (FC_RUNS overrides it). */
export const NUM_RUNS = envInt('FC_RUNS', 1000);
/**
 * The time limit of a property test, proportional to its work: 30 ms of real
 * time per run (30 s at 1000 runs). The properties run on fake time; the real
 * time is the CPU their runs need — about 1 ms per run on a quiet machine,
 * many times that when the full suite and a busy neighbour share two cores.
 */
export const PROPERTY_TIMEOUT = Math.max(5_000, NUM_RUNS * 30);

let printed = false;

/**
 * fast-check parameters for every property of the suite: the seed, the run
 * count, and (FC_PATH) the path of a shrunk counterexample to replay alone.
 * Prints the seed once per file, so a CI log always shows how to replay.
 */
export function fcParams<T>(extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  if (!printed) {
    printed = true;
    console.info(`[reliability] fast-check seed ${SEED}, ${NUM_RUNS} runs (replay: FC_SEED=${SEED} FC_PATH=<path>)`);
  }
  const path = process.env.FC_PATH;
  return { seed: SEED, numRuns: NUM_RUNS, ...(path ? { path, endOnFailure: true } : {}), ...extra };
}

// The fake clock of the suite (everything the lf packages read or schedule
// with) and `drain` (one real `setImmediate`: it costs microseconds, where
// `vi.advanceTimersByTimeAsync` yields a 1 ms real `setTimeout` per timer)
// are lf's shared test support.
export { FAKE_TIMERS, drain };

/** How a promise settled. */
export type Outcome<T> = { ok: true; value: T; at: number } | { ok: false; error: unknown; at: number };

/**
 * Drives the fake clock until `promise` settles: drains microtasks, then fires
 * the next due timer (advancing the clock to it), one at a time. Resolves the
 * outcome with the fake time it settled at. Throws if the promise can no
 * longer settle (no timer left) or needs more than `maxTimers` timers.
 */
export async function settle<T>(promise: Promise<T>, maxTimers = 100_000): Promise<Outcome<T>> {
  let outcome: Outcome<T> | undefined;
  promise.then(
    (value) => (outcome = { ok: true, value, at: performance.now() }),
    (error: unknown) => (outcome = { ok: false, error, at: performance.now() }),
  );
  await drain();
  for (let fired = 0; outcome === undefined; fired++) {
    if (vi.getTimerCount() === 0) throw new Error('the promise can never settle: it waits with no timer left');
    if (fired >= maxTimers) throw new Error(`the promise did not settle within ${maxTimers} timers`);
    vi.advanceTimersToNextTimer();
    await drain();
  }
  return outcome;
}

/** Fires every remaining timer (for cleanup after a check), draining in between. */
export async function runOut(maxTimers = 100_000): Promise<void> {
  await drain();
  for (let fired = 0; vi.getTimerCount() > 0 && fired < maxTimers; fired++) {
    vi.advanceTimersToNextTimer();
    await drain();
  }
}

/**
 * How an instrumented call reacts to its signal:
 * - `cooperative`: rejects with `signal.reason` as soon as it aborts;
 * - `cleanup`: on abort, takes `cleanup` more ms before it rejects;
 * - `stubborn`: ignores the signal and runs its full latency.
 */
export type Behaviour = 'cooperative' | 'cleanup' | 'stubborn';

/** A timed wait on the fake clock that reacts to `signal` as `behaviour` says. */
export function work(ms: number, signal: AbortSignal | undefined, behaviour: Behaviour, cleanup = 3): Promise<void> {
  return new Promise((resolve, reject) => {
    if (behaviour === 'stubborn' || signal === undefined) {
      setTimeout(resolve, ms);
      return;
    }
    const aborted = (): void => {
      clearTimeout(timer);
      // The abort reason is what an abortable call rejects with (any value).
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      if (behaviour === 'cooperative') reject(signal.reason);
      else
        setTimeout(() => {
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
          reject(signal.reason);
        }, cleanup);
    };
    if (signal.aborted) {
      aborted();
      return;
    }
    const timer = setTimeout(() => {
      off();
      resolve();
    }, ms);
    // Through lf's multiplexed onAbort, as the README advises for signals shared by many
    // calls (a task group's children all share tg.signal): one real listener in all.
    const off = onAbort(signal, aborted);
  });
}

/** An ordered log of what instrumented calls did, to check "before/after" rules. */
export class Log {
  readonly events: { kind: string; id: number; at: number }[] = [];
  running = 0;
  maxRunning = 0;

  add(kind: string, id = -1): number {
    this.events.push({ kind, id, at: performance.now() });
    return this.events.length - 1;
  }

  /** Records a call's start and its settlement (whatever the outcome); returns the call's promise. */
  track<T>(id: number, call: () => Promise<T>): Promise<T> {
    this.add('start', id);
    this.running++;
    if (this.running > this.maxRunning) this.maxRunning = this.running;
    const done = (): void => {
      this.running--;
      this.add('settle', id);
    };
    let promise: Promise<T>;
    try {
      promise = call();
    } catch (error) {
      done();
      throw error;
    }
    promise.then(done, done);
    return promise;
  }

  /** Index of the first event of `kind`, or Infinity. */
  first(kind: string): number {
    const index = this.events.findIndex((e) => e.kind === kind);
    return index === -1 ? Infinity : index;
  }

  /** Events of `kind` logged after position `index`. */
  after(index: number, kind: string): { kind: string; id: number; at: number }[] {
    return this.events.slice(index + 1).filter((e) => e.kind === kind);
  }
}

/** An error that remembers which item (and attempt) threw it. */
export class ItemError extends Error {
  override readonly name = 'ItemError';
  constructor(
    readonly index: number,
    readonly attempt: number,
  ) {
    super(`item ${index} failed on attempt ${attempt}`);
  }
}

/** Arbitrary concurrency limits: small integers, sometimes Infinity. */
export const limitArb = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: fc.constant(Infinity) });
