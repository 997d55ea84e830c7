/**
 * One run of the playground: calls the real `alcall` (or `bcall` when
 * batchSize > 0) from '@lf/async-utils' with the chosen options, over a
 * simulated workload whose function is instrumented to feed the timeline.
 */
import { alcall, bcall, sleep, CancelledError, TimeoutError } from '@lf/async-utils';
import { TimelineRecorder } from './timeline.js';
import { planAttempt, SimulatedFailure } from './workload.js';
import type { WorkloadOptions } from './workload.js';

type AlcallOptions = NonNullable<Parameters<typeof alcall>[2]>;
export type Jitter = 'none' | 'full' | 'equal' | 'decorrelated';

/** Everything the form sets. 0 means "unset" for maxConcurrent, throttlePeriod, retryTimeout and batchSize. */
export interface Settings extends WorkloadOptions {
  items: number;
  maxConcurrent: number;
  throttlePeriod: number;
  batchSize: number;
  numRetries: number;
  retryDelay: number;
  backoffFactor: number;
  jitter: Jitter;
  retryTimeout: number;
  retryDefault: boolean;
  stopOnError: boolean;
}

/** Defaults of the form: a run that shows every colour in a few seconds. */
export const DEFAULT_SETTINGS: Settings = {
  items: 24,
  latencyMin: 150,
  latencyMax: 650,
  failureRate: 0.3,
  seed: 12,
  maxConcurrent: 5,
  throttlePeriod: 40,
  batchSize: 0,
  numRetries: 2,
  retryDelay: 150,
  backoffFactor: 2,
  jitter: 'none',
  retryTimeout: 600,
  retryDefault: true,
  stopOnError: true,
};

export interface Progress {
  completed: number;
  failed: number;
  total: number;
}

export type RunOutcome =
  { kind: 'done'; results: unknown[]; check: string } | { kind: 'failed'; error: unknown } | { kind: 'cancelled'; reason: unknown };

export interface Run {
  readonly settings: Settings;
  readonly recorder: TimelineRecorder;
  readonly controller: AbortController;
  /** The latest onProgress report (bcall counts across its batches). */
  readonly progress: Progress;
  /** onRetry calls so far. */
  readonly stats: { retries: number };
  /** Settles when alcall / the bcall loop settles; never rejects. */
  readonly done: Promise<RunOutcome>;
  cancel(): void;
}

/**
 * The options object handed to alcall / bcall, with only what the form sets
 * (unset options are left out, so they cost nothing). Hooks are added by `startRun`.
 *
 * @example
 * callOptions({ ...DEFAULT_SETTINGS, throttlePeriod: 0 }); // { maxConcurrent: 5, numRetries: 2, ... }
 */
export function callOptions(s: Settings): AlcallOptions & { batchSize?: number } {
  const o: AlcallOptions & { batchSize?: number } = {};
  if (s.maxConcurrent > 0) o.maxConcurrent = s.maxConcurrent;
  if (s.throttlePeriod > 0) o.throttlePeriod = s.throttlePeriod;
  if (s.numRetries > 0) {
    o.numRetries = s.numRetries;
    if (s.retryDelay > 0) o.retryDelay = s.retryDelay;
    if (s.backoffFactor !== 1) o.backoffFactor = s.backoffFactor;
    if (s.jitter !== 'none') o.jitter = s.jitter;
  }
  if (s.retryTimeout > 0) o.retryTimeout = s.retryTimeout;
  if (s.retryDefault) o.retryDefault = null;
  if (!s.stopOnError) o.stopOnError = false;
  if (s.batchSize > 0) o.batchSize = s.batchSize;
  return o;
}

/**
 * Starts a run. `onChange` is called whenever progress or the retry count moves
 * (the timeline itself is read from `run.recorder` on every animation frame).
 *
 * @example
 * const run = startRun(DEFAULT_SETTINGS, () => {});
 * run.cancel();
 * await run.done; // { kind: 'cancelled', reason: CancelledError }
 */
export function startRun(settings: Settings, onChange: () => void): Run {
  const controller = new AbortController();
  const recorder = new TimelineRecorder(settings.items, {
    maxAttempts: settings.numRetries + 1,
    defaulting: settings.retryDefault,
    batchSize: settings.batchSize,
  });
  const progress: Progress = { completed: 0, failed: 0, total: settings.items };

  const stats = { retries: 0 };

  const task = async (item: number, ctx: { attempt: number; signal: AbortSignal }): Promise<number> => {
    const { attempt, signal } = ctx;
    recorder.attemptStart(item, attempt);
    const plan = planAttempt(settings, item, attempt);
    try {
      await sleep(plan.latency, { signal });
    } catch (error) {
      const reason: unknown = signal.reason;
      if (reason instanceof TimeoutError) {
        recorder.attemptEnd(item, attempt, 'timeout', `retryTimeout ${settings.retryTimeout} ms`);
      } else {
        recorder.attemptEnd(item, attempt, 'cancelled', describe(reason));
      }
      throw error;
    }
    if (plan.fails) {
      recorder.attemptEnd(item, attempt, 'error', `after ${plan.latency} ms`);
      throw new SimulatedFailure(item, attempt);
    }
    recorder.attemptEnd(item, attempt, 'ok', `${plan.latency} ms`);
    return item;
  };

  const options = {
    ...callOptions(settings),
    onProgress: (p: { completed: number; failed: number; total: number | undefined }) => {
      progress.completed = p.completed;
      progress.failed = p.failed;
      progress.total = p.total ?? settings.items;
      onChange();
    },
    onRetry: (error: unknown, _attempt: number, delayMs: number) => {
      stats.retries++;
      // A timeout's TimeoutError does not name its item; a simulated failure does.
      if (error instanceof SimulatedFailure) recorder.noteBackoff(error.item, `retry in ${Math.round(delayMs)} ms`);
      onChange();
    },
    signal: controller.signal,
  };

  const items = Array.from({ length: settings.items }, (_, i) => i);

  const execute = async (): Promise<unknown[]> => {
    // alcall takes no batchSize (an unknown option is a TypeError); bcall needs it.
    const { batchSize, ...alcallOptions } = options;
    if (batchSize === undefined) return alcall(items, task, alcallOptions);
    const results: unknown[] = [];
    for await (const batch of bcall(items, task, { ...alcallOptions, batchSize })) {
      results.push(...batch);
    }
    return results;
  };

  const done = execute().then(
    (results): RunOutcome => {
      recorder.finish();
      return { kind: 'done', results, check: checkResults(recorder, results) };
    },
    (error: unknown): RunOutcome => {
      recorder.finish();
      if (controller.signal.aborted && error === controller.signal.reason) return { kind: 'cancelled', reason: error };
      return { kind: 'failed', error };
    },
  );
  const cancel = (): void => {
    controller.abort(new CancelledError('cancelled from the page'));
  };
  return { settings, recorder, controller, progress, stats, done, cancel };
}

/** Cross-checks alcall's results against what the timeline saw: 'ok' or the first mismatch. */
export function checkResults(recorder: TimelineRecorder, results: unknown[]): string {
  if (results.length !== recorder.lanes.length) {
    return `expected ${recorder.lanes.length} results, got ${results.length}`;
  }
  for (const lane of recorder.lanes) {
    const value = results[lane.index];
    const expected = lane.state === 'succeeded' ? lane.index : lane.state === 'defaulted' ? null : 'a settled item';
    if (value !== expected) return `item ${lane.index} (${lane.state}): result ${String(value)}`;
  }
  return 'ok';
}

/** A short label for an abort reason or error. */
export function describe(reason: unknown): string {
  if (reason instanceof Error) return reason.message ? `${reason.name}: ${reason.message}` : reason.name;
  return String(reason);
}
